package io.coinbeam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coinbeam.io.parquet.StagedTables;
import io.coinbeam.sample.SampleGenerator;
import io.coinbeam.testing.NeedsRunnerJars;
import io.coinbeam.testing.ProjectFiles;
import io.coinbeam.testing.RunnerJars;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A batch run's JVM stopped while it writes, by SIGTERM (Ctrl-C, a scheduler's stop) and by
 * SIGKILL, on the Direct jar as users run it: the previous tables stay byte for byte as they were,
 * the run says what it left, and the next run cleans up after a killed one. Two streams' runs into
 * one output leave each other's tables and dead letters alone.
 */
@NeedsRunnerJars
class StoppedRunKeepsTablesTest {
  @TempDir static Path dir;
  private static Path big;
  private final Path sample = ProjectFiles.root().resolve("data/sample");

  @BeforeAll
  static void generateABigInput() throws IOException {
    // Long enough that the run is still writing when the test stops it (tens of seconds here).
    big = dir.resolve("big");
    SampleGenerator.generate(
        SampleGenerator.BUNDLED_SAMPLE.withMinutes(60).withTrades(400_000).withFiles(4), big);
  }

  /** The sample's five tables in a fresh output folder: what a stopped run must not touch. */
  private Path earlierOutput(String name) {
    Path out = dir.resolve(name);
    int exit =
        quietly(
            () ->
                CoinbeamPipeline.run(
                    new String[] {"--input=" + sample + "/{stream}/*", "--output=" + out}));
    assertEquals(CoinbeamPipeline.EXIT_OK, exit);
    return out;
  }

  /** Every visible file under {@code out} (hidden run folders excluded) and its SHA-256. */
  private static Map<String, String> tables(Path out) throws Exception {
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(out)) {
      for (Path p : walk.filter(Files::isRegularFile).toList()) {
        String relative = out.relativize(p).toString();
        if (!relative.startsWith(StagedTables.RUNS_FOLDER)) {
          byte[] hash = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p));
          files.put(relative, HexFormat.of().formatHex(hash));
        }
      }
    }
    return files;
  }

  /** Starts the big trades run on the Direct jar and waits until it writes files. */
  private static Process startBigRun(Path out, Path log) throws Exception {
    List<String> command = RunnerJars.javaCommand("direct");
    command.addAll(
        List.of(
            "--runner=DirectRunner",
            "--streams=trades",
            "--input=" + big + "/{stream}/*",
            "--output=" + out));
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    while (!writing(out)) {
      assertTrue(process.isAlive(), "the run ended before it wrote:\n" + Files.readString(log));
      assertTrue(System.nanoTime() < deadline, "no file written in 3 minutes");
      Thread.sleep(20);
    }
    return process;
  }

  /** True once a file (other than its lock) is under a run's hidden folder. */
  private static boolean writing(Path out) throws IOException {
    Path runs = out.resolve(StagedTables.RUNS_FOLDER);
    if (!Files.isDirectory(runs)) {
      return false;
    }
    try (Stream<Path> walk = Files.walk(runs)) {
      return walk.anyMatch(p -> Files.isRegularFile(p) && !p.toString().endsWith(".lock"));
    }
  }

  private static List<Path> runFolders(Path out) throws IOException {
    Path runs = out.resolve(StagedTables.RUNS_FOLDER);
    if (!Files.isDirectory(runs)) {
      return List.of();
    }
    try (Stream<Path> entries = Files.list(runs)) {
      return entries.toList();
    }
  }

  @Test
  void sigtermWhileWritingLeavesEveryTableAsItWasAndSaysSo() throws Exception {
    Path out = earlierOutput("term");
    Map<String, String> before = tables(out);
    Path log = dir.resolve("term.log");
    Process run = startBigRun(out, log);
    run.destroy(); // SIGTERM
    assertTrue(run.waitFor(2, TimeUnit.MINUTES));
    String output = Files.readString(log);
    assertEquals(143, run.exitValue(), output);
    assertTrue(output.contains("stopped by a signal before the run finished"), output);
    assertTrue(output.contains("as it was before this run"), output);
    assertEquals(before, tables(out));
    assertEquals(List.of(), runFolders(out), "the stopped run removed its own files");
  }

  @Test
  void sigkillWhileWritingLeavesEveryTableAsItWasAndTheNextRunCleansUp() throws Exception {
    Path out = earlierOutput("kill");
    Map<String, String> before = tables(out);
    Process run = startBigRun(out, dir.resolve("kill.log"));
    run.destroyForcibly(); // SIGKILL: no shutdown hook runs
    assertTrue(run.waitFor(1, TimeUnit.MINUTES));
    assertEquals(137, run.exitValue());
    assertEquals(before, tables(out));
    assertEquals(1, runFolders(out).stream().filter(Files::isDirectory).count());

    // The next run (trades only) removes the leftover and replaces only trades' files.
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    int exit =
        quietly(
            printed,
            () ->
                CoinbeamPipeline.run(
                    new String[] {
                      "--streams=trades", "--input=" + sample + "/{stream}/*", "--output=" + out
                    }));
    assertEquals(CoinbeamPipeline.EXIT_OK, exit);
    assertTrue(
        printed.toString(StandardCharsets.UTF_8).contains("removed the unfinished output of run"),
        printed.toString(StandardCharsets.UTF_8));
    assertEquals(List.of(), runFolders(out));
    Map<String, String> after = tables(out);
    before.forEach(
        (file, hash) -> {
          if (!ownedByTrades(file)) {
            assertEquals(hash, after.get(file), file + " is not the trades run's to touch");
          }
        });
    assertEquals(
        668,
        io.coinbeam.testing.ParquetFiles.readTable(out.resolve("trade_candles")).size(),
        "the trades run's own table");
  }

  /** trade_candles, the trades stream's dead letters and the report: what a trades run rewrites. */
  private static boolean ownedByTrades(String file) {
    return file.startsWith("trade_candles/")
        || file.startsWith("dead_letters/dead_letters-trades-")
        || file.equals("report.html");
  }

  @Test
  void twoStreamsIntoOneOutputKeepEachOthersTablesAndDeadLetters() throws Exception {
    Path out = dir.resolve("two");
    String input = "--input=" + sample + "/{stream}/*";
    assertEquals(
        CoinbeamPipeline.EXIT_OK,
        quietly(
            () ->
                CoinbeamPipeline.run(new String[] {"--streams=trades", input, "--output=" + out})));
    Map<String, String> afterTrades = tables(out);
    assertEquals(
        CoinbeamPipeline.EXIT_OK,
        quietly(
            () ->
                CoinbeamPipeline.run(new String[] {"--streams=assets", input, "--output=" + out})));
    Map<String, String> afterAssets = tables(out);
    // Everything the trades run wrote is still there, byte for byte (report.html is rewritten).
    afterTrades.forEach(
        (file, hash) -> {
          if (!file.equals("report.html")) {
            assertEquals(hash, afterAssets.get(file), file);
          }
        });
    assertTrue(
        afterTrades.keySet().stream()
            .anyMatch(f -> f.startsWith("dead_letters/dead_letters-trades-")));
    assertTrue(
        afterAssets.keySet().stream()
            .anyMatch(f -> f.startsWith("dead_letters/dead_letters-assets-")));
    assertTrue(afterAssets.keySet().stream().anyMatch(f -> f.startsWith("asset_stats/")));
    assertFalse(afterTrades.keySet().stream().anyMatch(f -> f.startsWith("asset_stats/")));
  }

  private static int quietly(java.util.function.IntSupplier run) {
    return quietly(new ByteArrayOutputStream(), run);
  }

  /**
   * Runs with System.out going to {@code printed}: the summary tables are not the test's output.
   */
  private static int quietly(ByteArrayOutputStream printed, java.util.function.IntSupplier run) {
    PrintStream original = System.out;
    System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
    try {
      return run.getAsInt();
    } finally {
      System.setOut(original);
    }
  }
}
