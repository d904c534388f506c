package io.coinbeam.bench;

import io.coinbeam.RunnerJvmFlags;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One program the benchmark times: a Beam runner's jar run exactly as users run it, the plain-Java
 * baseline, the native Spark peer, or DuckDB's SQL. Each runs in a JVM of its own with the same
 * heap settings.
 *
 * @param id short name used in tables and folders (direct, flink, spark, baseline, spark-native,
 *     duckdb)
 * @param label what the tables call it
 * @param kind what it stands for in the comparison
 * @param jar the fat jar it runs from: a runner jar, the benchmark's own jar (baseline, DuckDB) or
 *     the native Spark peer's
 * @param mainClass the class to run with {@code -cp}, or null to run the jar with {@code -jar}
 * @param opensJdk whether it needs the {@code --add-opens} flags (Flink and Spark in-process)
 * @param flags its own flags, before {@code --input} and {@code --output}
 */
public record Contender(
    String id,
    String label,
    Kind kind,
    Path jar,
    String mainClass,
    boolean opensJdk,
    List<String> flags) {

  /** What a contender stands for. */
  public enum Kind {
    /** The product: the Beam pipeline on one runner. */
    BEAM,
    /** Plain single-threaded Java: the practical limit. */
    BASELINE,
    /** The same result without Beam, the way most pipelines are written. */
    PEER,
    /** The same result in SQL on one machine: DuckDB. */
    REFERENCE;

    /** Whether its runs must write the input's bad lines as dead letters (and are checked so). */
    boolean writesDeadLetters() {
      return this == BEAM || this == BASELINE;
    }
  }

  /** The benchmark's own jar (bench module): the baseline's and DuckDB's class path. */
  static final String BENCH_JAR = "bench/target/coinbeam-bench.jar";

  /** The native Spark peer's jar (bench-spark module). */
  static final String SPARK_PEER_JAR = "bench-spark/target/coinbeam-spark-peer.jar";

  /**
   * The six contenders: the runner jars in {@code jarDir}, the others from the benchmark's jars in
   * {@code project}.
   */
  static List<Contender> all(Path project, Path jarDir) {
    Path direct = jarDir.resolve("coinbeam-direct.jar");
    Path flink = jarDir.resolve("coinbeam-flink.jar");
    Path spark = jarDir.resolve("coinbeam-spark.jar");
    Path bench = project.resolve(BENCH_JAR);
    Path peer = project.resolve(SPARK_PEER_JAR);
    List<String> trades = List.of("--streams=trades");
    return List.of(
        new Contender(
            "baseline",
            "Plain Java (baseline)",
            Kind.BASELINE,
            bench,
            BaselineCandles.class.getName(),
            false,
            List.of()),
        new Contender(
            "direct",
            "Beam on Direct",
            Kind.BEAM,
            direct,
            null,
            false,
            concat(List.of("--runner=DirectRunner"), trades)),
        new Contender(
            "flink",
            "Beam on Flink [local]",
            Kind.BEAM,
            flink,
            null,
            true,
            concat(
                List.of("--runner=FlinkRunner", "--flinkMaster=[local]", "--parallelism=2"),
                trades)),
        new Contender(
            "spark",
            "Beam on Spark local[*]",
            Kind.BEAM,
            spark,
            null,
            true,
            concat(List.of("--runner=SparkRunner", "--sparkMaster=local[*]"), trades)),
        new Contender(
            "spark-native",
            "Native Spark (peer)",
            Kind.PEER,
            peer,
            "io.coinbeam.bench.spark.SparkNativeCandles",
            true,
            List.of("--master=local[*]")),
        new Contender(
            "duckdb",
            "DuckDB SQL (reference)",
            Kind.REFERENCE,
            bench,
            DuckDbCandles.class.getName(),
            false,
            List.of()));
  }

  /** Why this contender cannot run (a jar missing), or empty. */
  Optional<String> missing() {
    if (!Files.isRegularFile(jar)) {
      return Optional.of(jar + " is missing: run make bench (it builds every jar it times)");
    }
    return Optional.empty();
  }

  /** The command line for one run. */
  List<String> command(Path java, List<String> jvmOptions, String input, Path output) {
    List<String> command = new ArrayList<>();
    command.add(java.toString());
    command.addAll(jvmOptions);
    if (opensJdk) {
      command.addAll(RunnerJvmFlags.ADD_OPENS);
    }
    if (mainClass == null) {
      command.add("-jar");
      command.add(jar.toString());
    } else {
      command.add("-cp");
      command.add(jar.toString());
      command.add(mainClass);
    }
    command.addAll(flags);
    command.add("--input=" + input);
    command.add("--output=" + output);
    return command;
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return List.copyOf(all);
  }
}
