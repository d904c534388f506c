package io.coinbeam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.coinbeam.sample.SampleGenerator;
import io.coinbeam.testing.NeedsRunnerJars;
import io.coinbeam.testing.ParquetFiles;
import io.coinbeam.testing.RunnerJars;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One graph, three runners: the same input through the Direct, Flink ({@code [local]}) and Spark
 * ({@code local[2]}) jars, exactly as users run them, must give identical rows in all five tables
 * and in dead_letters, every column. The jars are built by {@code make test} (target {@code jars})
 * and passed in as {@code coinbeam.runner.jars}; a bare {@code mvn test} reports this test as
 * skipped.
 */
@NeedsRunnerJars
class RunnerParityTest {
  @TempDir static Path dir;

  @BeforeAll
  static void generateInput() throws IOException {
    // Twelve minutes of all five streams, gzipped NDJSON and pretty documents, bad lines included.
    SampleGenerator.generate(
        SampleGenerator.BUNDLED_SAMPLE.withMinutes(12).withTrades(1500).withFiles(2).withGzip(true),
        dir.resolve("in"));
  }

  /** Runs one runner's jar as a user would and returns its exit code; its output goes to a log. */
  private static int runJar(String runner, String runnerClass, List<String> flags, Path output)
      throws Exception {
    List<String> command = RunnerJars.javaCommand(runner);
    command.add("--runner=" + runnerClass);
    command.addAll(flags);
    command.add("--output=" + output);
    Path log = dir.resolve(runner + "-" + output.getFileName() + ".log");
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    Process process = builder.redirectOutput(log.toFile()).start();
    if (!process.waitFor(10, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError(runner + " did not finish in 10 minutes; log: " + log);
    }
    if (process.exitValue() != 0) {
      System.out.println(Files.readString(log));
    }
    return process.exitValue();
  }

  @Test
  void directFlinkAndSparkWriteIdenticalRows() throws Exception {
    List<String> input = List.of("--input=" + dir.resolve("in") + "/{stream}/*");
    Map<String, Map<String, List<String>>> results = new LinkedHashMap<>();
    String[][] runners = {
      {"direct", "DirectRunner"}, {"flink", "FlinkRunner"}, {"spark", "SparkRunner"},
    };
    for (String[] runner : runners) {
      List<String> flags = new ArrayList<>(input);
      if (runner[0].equals("flink")) {
        flags.addAll(List.of("--flinkMaster=[local]", "--parallelism=2"));
      } else if (runner[0].equals("spark")) {
        flags.add("--sparkMaster=local[2]");
      }
      Path output = dir.resolve("out-" + runner[0]);
      assertEquals(0, runJar(runner[0], runner[1], flags, output), runner[0] + " run failed");
      results.put(runner[0], ParquetFiles.everyTableAsText(output));
    }
    Map<String, List<String>> direct = results.get("direct");
    direct.forEach((table, rows) -> assertFalse(rows.isEmpty(), table + " is empty"));
    for (String runner : List.of("flink", "spark")) {
      for (String table : direct.keySet()) {
        assertEquals(
            direct.get(table),
            results.get(runner).get(table),
            table + " differs between direct and " + runner);
      }
    }
  }

  @Test
  void aRunnerJarExitsWithTwoOnMissingInput() throws Exception {
    Path output = dir.resolve("out-missing");
    int exit =
        runJar(
            "flink",
            "FlinkRunner",
            List.of("--flinkMaster=[local]", "--input=" + dir.resolve("none") + "/{stream}/*"),
            output);
    assertEquals(CoinbeamPipeline.EXIT_USAGE, exit);
  }
}
