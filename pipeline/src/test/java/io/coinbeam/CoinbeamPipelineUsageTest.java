package io.coinbeam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.coinbeam.io.bigquery.BigQueryCatalog;
import io.coinbeam.io.bigquery.BigQueryCatalog.CatalogException;
import io.coinbeam.options.CoinbeamOptions;
import io.coinbeam.testing.CapturedStderr;
import io.coinbeam.testing.FakeCatalog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.runners.TransformHierarchy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Bad flags and missing input end with exit code 2 and a message that says what to change. */
class CoinbeamPipelineUsageTest {
  @TempDir Path dir;
  @RegisterExtension final CapturedStderr err = new CapturedStderr();

  private int run(String... args) {
    return CoinbeamPipeline.run(args);
  }

  private int runWithCatalog(BigQueryCatalog.Factory catalogs, String... args) {
    return CoinbeamPipeline.run(args, catalogs);
  }

  private String stderr() {
    return err.text();
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
  void aWindowOfZeroOrLessIsRefusedInPlainWords() throws Exception {
    tradesFile();
    int exit = run("--streams=trades", "--window=0s", "--input=" + dir.resolve("in/{stream}/*"));
    assertEquals(CoinbeamPipeline.EXIT_USAGE, exit);
    assertTrue(stderr().contains("--window=0s: a window must be longer than zero"), stderr());
    assertEquals(
        CoinbeamPipeline.EXIT_USAGE,
        run("--streams=trades", "--window=PT-5M", "--input=" + dir.resolve("in/{stream}/*")));
    assertTrue(stderr().contains("--window must not be negative"), stderr());
  }

  @Test
  void anUnknownModeNamesTheModesAndAnyCaseOfAKnownOneWorks() throws Exception {
    tradesFile();
    int exit = run("--streams=trades", "--mode=fast", "--input=" + dir.resolve("in/{stream}/*"));
    assertEquals(CoinbeamPipeline.EXIT_USAGE, exit);
    assertTrue(stderr().contains("--mode=fast is not a mode; use BATCH or STREAMING"), stderr());
    assertFalse(stderr().contains("Source: UNKNOWN"), stderr());
    assertEquals(
        CoinbeamPipeline.EXIT_OK,
        run(
            "--streams=trades",
            "--mode=batch",
            "--input=" + dir.resolve("in/{stream}/*"),
            "--output=" + dir.resolve("out")));
  }

  @Test
  void aFolderAsInputIsRefusedWithTheGlobToUse() throws Exception {
    tradesFile();
    Path folder = dir.resolve("in/trades");
    int exit = run("--streams=trades", "--input=" + folder);
    assertEquals(CoinbeamPipeline.EXIT_USAGE, exit);
    assertTrue(stderr().contains("--input=" + folder + " is a folder"), stderr());
    assertTrue(stderr().contains("--input='" + folder + "/*'"), stderr());
  }

  @Test
  void anOutputThatIsAFileIsRefusedBeforeTheRunAndLeftAlone() throws Exception {
    tradesFile();
    Path file = Files.writeString(dir.resolve("out.txt"), "keep me");
    int exit =
        run("--streams=trades", "--input=" + dir.resolve("in/{stream}/*"), "--output=" + file);
    assertEquals(CoinbeamPipeline.EXIT_USAGE, exit);
    assertTrue(stderr().contains("is a file, not a folder"), stderr());
    assertEquals("keep me", Files.readString(file));
    int under =
        run(
            "--streams=trades",
            "--input=" + dir.resolve("in/{stream}/*"),
            "--output=" + file.resolve("sub"));
    assertEquals(CoinbeamPipeline.EXIT_USAGE, under);
    assertTrue(stderr().contains("cannot write to --output="), stderr());
  }

  @Test
  void oneFileForSeveralStreams() throws Exception {
    int exit = run("--streams=trades,assets", "--input=" + tradesFile());
    assertEquals(CoinbeamPipeline.EXIT_USAGE, exit);
    assertTrue(stderr().contains("put {stream} in the pattern"), stderr());
  }

  @Test
  void streamingRefusesAnUnknownStartPosition() {
    int exit = run("--streams=trades", "--mode=STREAMING", "--kafkaStartFrom=middle");
    assertEquals(CoinbeamPipeline.EXIT_USAGE, exit);
    assertTrue(stderr().contains("--kafkaStartFrom=middle is not earliest or latest"), stderr());
  }

  @Test
  void streamingRefusesABadDuration() {
    int exit = run("--streams=trades", "--mode=STREAMING", "--kafkaIdleAfter=soon");
    assertEquals(CoinbeamPipeline.EXIT_USAGE, exit);
    assertTrue(stderr().contains("kafkaIdleAfter"), stderr());
  }

  @Test
  void bigQueryNeedsAProject() throws Exception {
    assumeTrue(
        System.getenv("GOOGLE_CLOUD_PROJECT") == null,
        "skipped: GOOGLE_CLOUD_PROJECT is set, so a project is always found");
    tradesFile();
    int exit =
        run(
            "--streams=trades",
            "--sinks=bigquery",
            "--project=",
            "--input=" + dir.resolve("in/{stream}/*"));
    assertEquals(CoinbeamPipeline.EXIT_USAGE, exit);
    assertTrue(stderr().contains("--sinks=bigquery needs a GCP project"), stderr());
  }

  @Test
  void bigQueryBatchNeedsACloudStorageTempLocation() throws Exception {
    tradesFile();
    int exit =
        run(
            "--streams=trades",
            "--sinks=parquet,bigquery",
            "--bigQueryProject=coinbeam-test",
            "--input=" + dir.resolve("in/{stream}/*"));
    assertEquals(CoinbeamPipeline.EXIT_USAGE, exit);
    assertTrue(stderr().contains("--bigQueryTempLocation=gs://"), stderr());
  }

  /** A run whose tables are missing stops before it reads anything, and says what to run. */
  @Test
  void bigQueryPreflightFailureExitsTwoAndSaysToApplyTerraform() throws Exception {
    tradesFile();
    Path parquet = Files.createDirectories(dir.resolve("out/trade_candles"));
    Path earlier = Files.writeString(parquet.resolve("trade_candles-0.parquet"), "earlier run");
    FakeCatalog catalog =
        new FakeCatalog()
            .withAllTablesAsTerraformMakesThem("coinbeam-test", "coinbeam")
            .without("coinbeam-test.coinbeam.trade_candles");
    int exit =
        runWithCatalog(
            project -> catalog,
            "--streams=trades",
            "--sinks=parquet,bigquery",
            "--bigQueryProject=coinbeam-test",
            "--bigQueryTempLocation=gs://coinbeam-test-bucket/temp",
            "--input=" + dir.resolve("in/{stream}/*"),
            "--output=" + dir.resolve("out"));
    assertEquals(CoinbeamPipeline.EXIT_USAGE, exit);
    assertTrue(
        stderr().contains("table coinbeam-test.coinbeam.trade_candles does not exist"), stderr());
    assertTrue(stderr().contains("make tf-apply"), stderr());
    assertTrue(Files.exists(earlier), "a refused run must not touch earlier output");
  }

  @Test
  void bigQueryPreflightThatCannotReachBigQueryExitsTwo() throws Exception {
    tradesFile();
    int exit =
        runWithCatalog(
            project -> {
              throw new CatalogException("no Google credentials: run `gcloud auth ...`");
            },
            "--streams=trades",
            "--sinks=bigquery",
            "--bigQueryProject=coinbeam-test",
            "--bigQueryTempLocation=gs://coinbeam-test-bucket/temp",
            "--input=" + dir.resolve("in/{stream}/*"));
    assertEquals(CoinbeamPipeline.EXIT_USAGE, exit);
    assertTrue(stderr().contains("BigQuery preflight could not run: no Google"), stderr());
    assertTrue(stderr().contains("--bigQueryPreflight=false"), stderr());
  }

  @Test
  void bigQueryStepNames() {
    CoinbeamOptions options = PipelineOptionsFactory.create().as(CoinbeamOptions.class);
    options.setStreams("trades");
    options.setSinks("parquet,bigquery");
    options.setBigQueryProject("coinbeam-test");
    options.setBigQueryTempLocation("gs://coinbeam-test-bucket/temp");
    Pipeline pipeline = Pipeline.create(options);
    CoinbeamPipeline.build(pipeline, options);
    assertEquals(
        List.of(
            "ReadTradesFromFiles",
            "ParseTrades",
            "ComputeTradeCandles",
            "WriteTradeCandlesToParquet",
            "WriteTradeCandlesToBigQuery",
            "WriteTradesDeadLettersToParquet",
            "WriteTradeCandlesBigQueryRefusalsToParquet",
            "WriteTradesDeadLettersToBigQuery",
            "LogUnwrittenTradesDeadLetters",
            "WriteTradeCandlesBigQueryRefusalsToBigQuery",
            "LogUnwrittenTradeCandlesBigQueryRefusals",
            "CollectDeadLetters"),
        topLevelSteps(pipeline));
  }

  /** The graph has the stable, verb-first step names that runners' UIs and docs refer to. */
  @Test
  void stepNames() {
    CoinbeamOptions options = PipelineOptionsFactory.create().as(CoinbeamOptions.class);
    options.setStreams("trades,markets");
    Pipeline pipeline = Pipeline.create(options);
    CoinbeamPipeline.build(pipeline, options);
    assertEquals(
        List.of(
            "ReadTradesFromFiles",
            "ParseTrades",
            "ComputeTradeCandles",
            "ReadMarketsFromFiles",
            "ParseMarkets",
            "ComputeMarketStats",
            "WriteTradeCandlesToParquet",
            "WriteMarketStatsToParquet",
            "WriteTradesDeadLettersToParquet",
            "WriteMarketsDeadLettersToParquet",
            "CollectDeadLetters"),
        topLevelSteps(pipeline));
  }

  private static List<String> topLevelSteps(Pipeline pipeline) {
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
    return names;
  }
}
