package io.coinbeam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coinbeam.options.CoinbeamOptions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.runners.TransformHierarchy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad flags and missing input end with exit code 2 and a message that says what to change. */
class CoinbeamPipelineUsageTest {
  @TempDir Path dir;
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private PrintStream originalErr;

  @BeforeEach
  void captureStderr() {
    originalErr = System.err;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restoreStderr() {
    System.setErr(originalErr);
  }

  private int run(String... args) {
    return CoinbeamPipeline.run(args);
  }

  private String stderr() {
    return err.toString(StandardCharsets.UTF_8);
  }

  private Path tradesFile() throws Exception {
    Path trades = Files.createDirectories(dir.resolve("in/trades")).resolve("t.ndjson");
    Files.writeString(trades, "{}\n");
    return trades;
  }

  @Test
  void noMatchingInputFiles() {
    int exit = run("--streams=trades", "--input=" + dir.resolve("nothing-here/*.ndjson"));
    assertEquals(CoinbeamPipeline.EXIT_USAGE, exit);
    assertTrue(stderr().contains("no input files for trades match"), stderr());
  }

  @Test
  void unknownStream() throws Exception {
    int exit = run("--streams=trades,candles", "--input=" + dir.resolve("in/{stream}/*"));
    assertEquals(CoinbeamPipeline.EXIT_USAGE, exit);
    assertTrue(stderr().contains("unknown stream \"candles\""), stderr());
  }

  @Test
  void unknownSink() throws Exception {
    tradesFile();
    int exit =
        run("--streams=trades", "--sinks=parquet,csv", "--input=" + dir.resolve("in/{stream}/*"));
    assertEquals(CoinbeamPipeline.EXIT_USAGE, exit);
    assertTrue(stderr().contains("unknown sink \"csv\""), stderr());
  }

  @Test
  void badWindow() throws Exception {
    tradesFile();
    int exit =
        run("--streams=trades", "--window=five minutes", "--input=" + dir.resolve("in/{stream}/*"));
    assertEquals(CoinbeamPipeline.EXIT_USAGE, exit);
    assertTrue(stderr().contains("--window=five minutes is not a duration"), stderr());
  }

  @Test
  void oneFileForSeveralStreams() throws Exception {
    int exit = run("--streams=trades,assets", "--input=" + tradesFile());
    assertEquals(CoinbeamPipeline.EXIT_USAGE, exit);
    assertTrue(stderr().contains("put {stream} in the pattern"), stderr());
  }

  @Test
  void streamingIsRefusedWithAReason() throws Exception {
    tradesFile();
    int exit =
        run("--streams=trades", "--mode=STREAMING", "--input=" + dir.resolve("in/{stream}/*"));
    assertEquals(CoinbeamPipeline.EXIT_USAGE, exit);
    assertTrue(stderr().contains("--mode=STREAMING"), stderr());
  }

  /** The graph has the stable, verb-first step names that runners' UIs and docs refer to. */
  @Test
  void stepNames() {
    CoinbeamOptions options = PipelineOptionsFactory.create().as(CoinbeamOptions.class);
    options.setStreams("trades,markets");
    Pipeline pipeline = Pipeline.create(options);
    CoinbeamPipeline.build(pipeline, options);
    List<String> names = new ArrayList<>();
    pipeline.traverseTopologically(
        new Pipeline.PipelineVisitor.Defaults() {
          @Override
          public CompositeBehavior enterCompositeTransform(TransformHierarchy.Node node) {
            if (node.getEnclosingNode() != null && node.getEnclosingNode().isRootNode()) {
              names.add(node.getFullName());
            }
            return CompositeBehavior.ENTER_TRANSFORM;
          }

          @Override
          public void visitPrimitiveTransform(TransformHierarchy.Node node) {
            if (node.getEnclosingNode().isRootNode()) {
              names.add(node.getFullName()); // Flatten is a primitive
            }
          }
        });
    assertEquals(
        List.of(
            "ReadTradesFromFiles",
            "ParseTrades",
            "ComputeTradeCandles",
            "ReadMarketsFromFiles",
            "ParseMarkets",
            "ComputeMarketStats",
            "CollectDeadLetters",
            "WriteTradeCandlesToParquet",
            "WriteMarketStatsToParquet",
            "WriteTradesDeadLettersToParquet",
            "WriteMarketsDeadLettersToParquet"),
        names);
  }
}
