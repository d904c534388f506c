package io.coinbeam.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coinbeam.CoinbeamPipeline;
import io.coinbeam.ingest.Replay;
import io.coinbeam.io.kafka.LocalKafkaBroker;
import io.coinbeam.testing.NeedsRunnerJars;
import io.coinbeam.testing.ProjectFiles;
import io.coinbeam.testing.RunnerJars;
import io.coinbeam.testing.StreamingComparison;
import io.coinbeam.testing.TestPostgres;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The streaming pipeline as users run it, on each runner's jar in a process of its own: Direct,
 * Flink ({@code [local]}, checkpointing on) and Spark's classic streaming runner ({@code local[2]},
 * micro-batches). It reads the replayed sample from a real broker and writes PostgreSQL and
 * Parquet; once its windows closed, PostgreSQL's latest panes and the Parquet files (final panes
 * only) equal the batch rows, dead letters included. Needs the runner jars ({@code make jars},
 * passed as {@code coinbeam.runner.jars}), like {@code RunnerParityTest}.
 */
@NeedsRunnerJars
class StreamingOnRunnerJarsTest {
  /** How each runner is started in-process, as the Makefile does for {@code MODE=streaming}. */
  private static final Map<String, List<String>> RUNNER_FLAGS =
      Map.of(
          "direct",
          List.of("--runner=DirectRunner"),
          "flink",
          List.of(
              "--runner=FlinkRunner",
              "--flinkMaster=[local]",
              "--parallelism=2",
              "--checkpointingInterval=5000"),
          "spark",
          List.of("--runner=SparkRunner", "--sparkMaster=local[2]", "--batchIntervalMillis=1000"));

  @TempDir Path dir;

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"direct", "flink", "spark"})
  void finalPanesEqualTheBatchRows(String runner) throws Exception {
    Path sample = ProjectFiles.root().resolve("data/sample");
    Path batchOut = dir.resolve("batch");
    assertEquals(
        CoinbeamPipeline.EXIT_OK,
        CoinbeamPipeline.run(
            new String[] {
              "--input=" + sample + "/{stream}/*", "--output=" + batchOut, "--sinks=parquet"
            }));
    Map<String, List<Map<String, Object>>> batch = StreamingComparison.readParquet(batchOut);

    TestPostgres.Database db = TestPostgres.freshDatabase();
    try (LocalKafkaBroker broker = LocalKafkaBroker.start()) {
      // The whole sample with heartbeats, and the closing one an hour past its end.
      int replayed =
          Replay.run(
              new String[] {
                "--input=" + sample + "/{stream}/*",
                "--bootstrap=" + broker.bootstrapServers(),
                "--partitions=2"
              },
              Map.of(),
              Clock.systemUTC(),
              io.coinbeam.ingest.Sleeper.SYSTEM,
              new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
              System.err,
              Duration.ofSeconds(30));
      assertEquals(Replay.EXIT_OK, replayed);

      Path streamedOut = dir.resolve("streamed");
      List<String> command = RunnerJars.javaCommand(runner);
      command.addAll(RUNNER_FLAGS.get(runner));
      command.addAll(
          List.of(
              "--streaming=true",
              "--mode=STREAMING",
              "--sinks=postgres,parquet",
              "--output=" + streamedOut,
              "--kafkaBootstrapServers=" + broker.bootstrapServers(),
              "--kafkaGroupId=" + runner + "-e2e",
              "--earlyFiringInterval=2s",
              "--progressInterval=5s",
              "--runFor=15m"));
      command.addAll(List.of(db.flags()));
      Path log = dir.resolve(runner + ".log");
      ProcessBuilder builder =
          new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
      builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
      Process process = builder.start();
      List<String> differences;
      try {
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        do {
          Thread.sleep(2000);
          try (Connection connection = db.connect()) {
            differences = new ArrayList<>();
            for (String difference :
                StreamingComparison.differences(
                    StreamingComparison.readPostgres(connection), batch)) {
              differences.add("PostgreSQL: " + difference);
            }
            // Parquet keeps each window's final pane only: the same rows as batch.
            for (String difference :
                StreamingComparison.differences(
                    StreamingComparison.readParquet(streamedOut), batch)) {
              differences.add("Parquet: " + difference);
            }
          } catch (java.sql.SQLException | java.io.IOException e) {
            differences = List.of("not readable yet: " + e.getMessage());
          }
        } while (!differences.isEmpty() && process.isAlive() && System.nanoTime() < deadline);
      } finally {
        // SIGTERM: the pipeline's shutdown hook cancels the job. Spark's own shutdown hooks can
        // wait out their timeouts (10 s and 30 s each); the comparison is already made.
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      }
      String output = Files.readString(log);
      assertEquals(List.of(), differences, runner + " log:\n" + output);
      assertTrue(output.contains("coinbeam progress after"), "progress lines:\n" + output);
    }
  }
}
