package io.coinbeam.bench;

import io.coinbeam.RunnerJvmFlags;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One program the benchmark times: a Beam runner's jar run exactly as users run it, the plain-Java
 * baseline, or the native Spark peer. Each runs in a JVM of its own with the same heap settings.
 *
 * @param id short name used in tables and folders (direct, flink, spark, baseline, spark-native)
 * @param label what the tables call it
 * @param kind what it stands for in the comparison
 * @param jar the fat jar it runs from
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
    PEER
  }

  /** The five contenders, from the runner jars in {@code jarDir}. */
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
            spark,
            "io.coinbeam.bench.SparkNativeCandles",
            true,
            List.of("--master=local[*]")));
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
