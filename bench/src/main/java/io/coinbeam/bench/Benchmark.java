package io.coinbeam.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code make bench}: throughput of the trades pipeline on each Beam runner against a plain-Java
 * baseline, native Spark and DuckDB, on two data shapes, then streaming freshness, measured in one
 * run on the same generated data, each output checked, and written to {@code docs/BENCHMARKS.md}.
 * Runs from the Direct jar, in the project root:
 *
 * <pre>
 * java -cp pipeline/target/coinbeam-direct.jar io.coinbeam.bench.Benchmark [--quick] [flags]
 * </pre>
 *
 * Exit code 0 when every run passed its checks, 1 when some failed (the report says which), 2 for
 * wrong flags or missing jars.
 */
public final class Benchmark {
  private Benchmark() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  static int run(String[] args) {
    if (java.util.Arrays.asList(args).contains("--help")) {
      System.out.println(BenchSettings.USAGE);
      return 0;
    }
    BenchSettings settings;
    try {
      settings = BenchSettings.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("Benchmark: " + e.getMessage());
      System.err.println(BenchSettings.USAGE);
      return 2;
    }
    BenchLog log = new BenchLog();
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Instant started = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    String loadBefore = MachineInfo.loadAverage();
    MachineInfo machine = MachineInfo.probe(settings.projectDir(), java);
    List<BatchThroughput> batches =
        settings.streaming().only()
            ? List.of()
            : settings.shapes().stream().map(BatchThroughput::new).toList();
    StreamingFreshness streaming = new StreamingFreshness();
    List<Scenario> scenarios = new ArrayList<>(batches);
    scenarios.add(streaming);
    try {
      for (Scenario scenario : scenarios) {
        log.info(scenario.title());
        scenario.run(settings, log);
      }
    } catch (IllegalStateException e) {
      System.err.println("Benchmark: " + e.getMessage());
      return 2;
    } catch (Exception e) {
      System.err.println("Benchmark: failed: " + e);
      e.printStackTrace();
      return 1;
    }
    BenchmarkReport report =
        new BenchmarkReport(
            settings,
            machine,
            started,
            Instant.now().truncatedTo(ChronoUnit.SECONDS),
            loadBefore,
            MachineInfo.loadAverage(),
            batches,
            scenarios);
    try {
      Files.createDirectories(settings.report().getParent());
      Files.writeString(settings.report(), report.render(), StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      System.err.println("Benchmark: cannot write " + settings.report() + ": " + e);
      return 1;
    }
    log.info("wrote " + settings.projectDir().relativize(settings.report()));
    // A streaming step that did not keep up ends its ramp and is not an error; wrong output, a
    // pipeline that died or never started is.
    boolean allPassed =
        batches.stream().allMatch(b -> b.results().stream().allMatch(BatchThroughput.RunResult::ok))
            && streaming.ok();
    return allPassed ? 0 : 1;
  }
}
