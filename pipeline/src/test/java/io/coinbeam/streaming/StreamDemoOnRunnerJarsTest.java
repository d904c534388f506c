package io.coinbeam.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coinbeam.CoinbeamPipeline;
import io.coinbeam.catalog.CoinCapStream;
import io.coinbeam.sample.Manifest;
import io.coinbeam.testing.NeedsRunnerJars;
import io.coinbeam.testing.ProjectFiles;
import io.coinbeam.testing.StreamDemo;
import io.coinbeam.testing.StreamingComparison;
import io.coinbeam.testing.TestPostgres;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code make stream-demo} as a user runs it, on the Direct, Flink and Spark jars: the script
 * starts a broker, replays the bundled sample paced at 120x while the pipeline already runs (all
 * five streams into Parquet and PostgreSQL), and stops it after a fixed time. Every table must then
 * equal the batch run's, and the summary must show what the job really read (on Flink {@code
 * [local]} the runner's own metrics stay empty while a job runs). This is the shape that once wrote
 * one table of five on Flink.
 */
@NeedsRunnerJars
class StreamDemoOnRunnerJarsTest {
  private static final Map<String, List<String>> RUNNER_FLAGS =
      Map.of(
          "direct",
          List.of("--runner=DirectRunner"),
          // No --checkpointingInterval: the pipeline's default for Flink streaming is under test.
          "flink",
          List.of("--runner=FlinkRunner", "--flinkMaster=[local]", "--parallelism=2"),
          "spark",
          List.of("--runner=SparkRunner", "--sparkMaster=local[2]", "--batchIntervalMillis=1000"));

  @TempDir static Path shared;
  @TempDir Path dir;
  private static Map<String, List<Map<String, Object>>> batch;

  /** The batch run's rows, the reference for every runner. */
  @BeforeAll
  static void runBatch() throws Exception {
    Path sample = ProjectFiles.root().resolve("data/sample");
    Path batchOut = shared.resolve("batch");
    assertEquals(
        CoinbeamPipeline.EXIT_OK,
        CoinbeamPipeline.run(
            new String[] {"--input=" + sample + "/{stream}/*", "--output=" + batchOut}));
    batch = StreamingComparison.readParquet(batchOut);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"direct", "flink", "spark"})
  void everyTableOfTheDemoEqualsBatch(String runner) throws Exception {
    Path sample = ProjectFiles.root().resolve("data/sample");
    Path streamed = dir.resolve("streamed");
    TestPostgres.Database db = TestPostgres.freshDatabase();
    String output =
        StreamDemo.run(
            runner, RUNNER_FLAGS.get(runner), 50, db, streamed, dir.resolve(runner + ".log"));
    StreamDemo.assertEveryTableEqualsBatch(runner, output, streamed, db, batch);

    // The closing summary counts every record the job read, as the sample's manifest does.
    Manifest manifest = Manifest.read(sample);
    for (CoinCapStream stream : CoinCapStream.values()) {
      Manifest.StreamCounts expected = manifest.stream(stream);
      String id = stream.name().toLowerCase(Locale.ROOT);
      Matcher line =
          Pattern.compile(
                  "(?m)^" + id + "\\s+([\\d,]+)\\s+([\\d,]+)\\s+([\\d,]+)\\s+\\w+\\s+([\\d,]+)$")
              .matcher(output);
      assertTrue(line.find(), id + " summary line:\n" + output);
      assertEquals(expected.recordsRead(), number(line.group(1)), id + " records read");
      assertEquals(expected.rows(), number(line.group(2)), id + " rows parsed");
      assertEquals(expected.deadLetters(), number(line.group(3)), id + " dead letters");
      assertTrue(number(line.group(4)) > 0, id + " panes emitted");
    }
    assertTrue(output.contains("Every record is accounted for"), output);
  }

  private static long number(String text) {
    return Long.parseLong(text.replace(",", ""));
  }
}
