package io.coinbeam.bench;

import io.coinbeam.RunnerJvmFlags;
import java.io.File;
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
 * @param jar the fat jar it runs from
 * @param sideJars jars after {@code jar} on its class path (DuckDB's driver: never in a runner jar)
 * @param mainClass the class to run with {@code -cp}, or null to run the jar with {@code -jar}
 * @param opensJdk whether it needs the {@code --add-opens} flags (Flink and Spark in-process)
 * @param flags its own flags, before {@code --input} and {@code --output}
 */
public record Contender(
    String id,
    String label,
    Kind kind,
    Path jar,
    List<Path> sideJars,
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

  /**
   * The six contenders, from the runner jars in {@code jarDir}; DuckDB's driver jar from this JVM's
   * class path (none when absent: {@link #missing()} says so).
   */
  static List<Contender> all(Path jarDir) {
    Path direct = jarDir.resolve("coinbeam-direct.jar");
    Path flink = jarDir.resolve("coinbeam-flink.jar");
    Path spark = jarDir.resolve("coinbeam-spark.jar");
    List<String> trades = List.of("--streams=trades");
    return List.of(
        new Contender(
            "baseline",
            "Plain Java (baseline)",
            Kind.BASELINE,
            direct,
            List.of(),
            BaselineCandles.class.getName(),
            false,
            List.of()),
        new Contender(
            "direct",
            "Beam on Direct",
            Kind.BEAM,
            direct,
            List.of(),
            null,
            false,
            concat(List.of("--runner=DirectRunner"), trades)),
        new Contender(
            "flink",
            "Beam on Flink [local]",
            Kind.BEAM,
            flink,
            List.of(),
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
            List.of(),
            null,
            true,
            concat(List.of("--runner=SparkRunner", "--sparkMaster=local[*]"), trades)),
        new Contender(
            "spark-native",
            "Native Spark (peer)",
            Kind.PEER,
            spark,
            List.of(),
            "io.coinbeam.bench.SparkNativeCandles",
            true,
            List.of("--master=local[*]")),
        new Contender(
            "duckdb",
            "DuckDB SQL (reference)",
            Kind.REFERENCE,
            direct,
            DuckDbCandles.driverJar().map(List::of).orElse(List.of()),
            DuckDbCandles.class.getName(),
            false,
            List.of()));
  }

  /**
   * This contender with its side jars named by file name alone: how the report shows its command,
   * since their folder is the machine's Maven repository.
   */
  Contender withSideJarsByName() {
    List<Path> names = sideJars.stream().map(Path::getFileName).toList();
    return new Contender(id, label, kind, jar, names, mainClass, opensJdk, flags);
  }

  /** Why this contender cannot run (a jar missing), or empty. */
  Optional<String> missing() {
    if (!Files.isRegularFile(jar)) {
      return Optional.of(jar + " is missing: run make jars first");
    }
    if (kind == Kind.REFERENCE && sideJars.isEmpty()) {
      return Optional.of(
          "DuckDB's JDBC driver (org.duckdb:duckdb_jdbc) is not on the benchmark's class path:"
              + " run it with make bench (target/bench-extra.classpath), or leave duckdb out of"
              + " --contenders");
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
      StringBuilder classpath = new StringBuilder(jar.toString());
      for (Path side : sideJars) {
        classpath.append(File.pathSeparatorChar).append(side);
      }
      command.add(classpath.toString());
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
