package io.coinbeam.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coinbeam.CoinbeamPipeline;
import io.coinbeam.ingest.Replay;
import io.coinbeam.io.kafka.LocalKafkaBroker;
import io.coinbeam.schema.TableDefinition;
import io.coinbeam.testing.ParquetFiles;
import io.coinbeam.testing.ProjectFiles;
import io.coinbeam.testing.RunnerJars;
import io.coinbeam.testing.StreamingComparison;
import io.coinbeam.testing.TestPostgres;
import io.coinbeam.transforms.DeadLetters;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * The streaming pipeline as users run it on Flink ({@code [local]}, checkpointing on): the Flink
 * jar in a process of its own reads the replayed sample from a real broker and writes PostgreSQL;
 * once its windows closed, every final pane equals the batch row. Needs the runner jars ({@code
 * make jars}, passed as {@code coinbeam.runner.jars}), like {@code RunnerParityTest}.
 */
@EnabledIfSystemProperty(
    named = "coinbeam.runner.jars",
    matches = ".+",
    disabledReason = "needs the runner jars: run `make test`, which builds them first")
class StreamingOnFlinkTest {
  @TempDir Path dir;

  @Test
  void finalPanesOnFlinkEqualTheBatchRows() throws Exception {
    Path sample = ProjectFiles.root().resolve("data/sample");
    Path batchOut = dir.resolve("batch");
    assertEquals(
        CoinbeamPipeline.EXIT_OK,
        CoinbeamPipeline.run(
            new String[] {
              "--input=" + sample + "/{stream}/*", "--output=" + batchOut, "--sinks=parquet"
            }));
    Map<String, List<Map<String, Object>>> batch = new LinkedHashMap<>();
    for (TableDefinition table : StreamingComparison.aggregateTables()) {
      batch.put(table.name(), ParquetFiles.readRows(batchOut.resolve(table.name()), table));
    }
    batch.put(
        DeadLetters.table().name(),
        ParquetFiles.readRows(batchOut.resolve(DeadLetters.table().name()), DeadLetters.table()));

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

      List<String> command = RunnerJars.javaCommand("flink");
      command.addAll(
          List.of(
              "--runner=FlinkRunner",
              "--flinkMaster=[local]",
              "--parallelism=2",
              "--streaming=true",
              "--checkpointingInterval=5000",
              "--mode=STREAMING",
              "--sinks=postgres",
              "--kafkaBootstrapServers=" + broker.bootstrapServers(),
              "--kafkaGroupId=flink-e2e",
              "--earlyFiringInterval=2s",
              "--progressInterval=5s",
              "--runFor=15m"));
      command.addAll(List.of(db.flags()));
      Path log = dir.resolve("flink.log");
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      List<String> differences;
      try {
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        do {
          Thread.sleep(2000);
          try (Connection connection = db.connect()) {
            differences =
                StreamingComparison.differences(
                    StreamingComparison.readPostgres(connection), batch);
          } catch (java.sql.SQLException e) {
            differences = List.of("not readable yet: " + e.getMessage());
          }
        } while (!differences.isEmpty() && process.isAlive() && System.nanoTime() < deadline);
      } finally {
        process.destroy(); // SIGTERM: the pipeline's shutdown hook cancels the job
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
          process.destroyForcibly();
        }
      }
      String output = Files.readString(log);
      assertEquals(List.of(), differences, "Flink log:\n" + output);
      assertTrue(output.contains("coinbeam progress after"), "progress lines:\n" + output);
    }
  }
}
