package io.coinbeam.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.coinbeam.broker.LocalKafkaBroker;
import io.coinbeam.catalog.CoinCapStream;
import io.coinbeam.catalog.KafkaTopics;
import io.coinbeam.rows.DeadLetters;
import io.coinbeam.testing.LocalCluster;
import io.coinbeam.testing.NeedsRunnerJars;
import io.coinbeam.testing.PostgresTables;
import io.coinbeam.testing.RunnerJars;
import io.coinbeam.testing.StreamingComparison;
import io.coinbeam.testing.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

/**
 * A real Flink 1.19 session cluster on this machine (JobManager and TaskManagers as JVMs of their
 * own, from {@code make cluster-up ENGINE=flink}) running the flink jar as users submit it:
 *
 * <ul>
 *   <li>batch, all five streams, through {@code make run FLINK_MASTER=...}: every row equals the
 *       Direct runner's;
 *   <li>streaming, all five streams from a Kafka broker into PostgreSQL and Parquet with
 *       checkpoints, while the replay is still publishing: the TaskManager is killed with SIGKILL
 *       and a new one started, so the job restarts from its last checkpoint. Once the replay's
 *       closing heartbeat has closed every window, every table in both sinks equals the batch rows:
 *       no record lost, none counted twice (Kafka offsets live in the checkpoint, PostgreSQL writes
 *       are upserts by natural key, Parquet gets each window's final pane when it closes; Parquet
 *       dead letters may repeat across the restore, none may be missing);
 *   <li>the same with a stop-with-savepoint and a new job resumed from it, which Beam 2.62 fails
 *       (see that test).
 * </ul>
 */
@NeedsRunnerJars
class FlinkClusterTest extends ClusterTestBase {
  private static final Duration PATIENCE = Duration.ofMinutes(4);

  /** 120 s for the sample's 30 minutes: long enough for a kill and a savepoint on the way. */
  private static final String REPLAY_SPEED = "15";

  @Override
  String engine() {
    return "flink";
  }

  @Test
  void batchOfAllFiveStreamsOnTheClusterWritesTheDirectRunnersRows() throws Exception {
    Map<String, List<String>> direct =
        LocalCluster.directRunnerTables(sample + "/{stream}/*", dir.resolve("direct"));
    Path log = dir.resolve("flink-batch.log");
    Process run = cluster.submitRun(sample.resolve("{stream}/*"), dir.resolve("flink"), log);
    LocalCluster.assertSucceeds(run, log, PATIENCE);

    LocalCluster.assertSameTables(direct, dir.resolve("flink"));
    // It ran on the cluster, not in the client: the JobManager knows a finished job.
    assertTrue(jobStates().contains("FINISHED"), "no finished job on the cluster: " + jobStates());
  }

  @Test
  void aTaskManagerKilledMidStreamLosesNothingAndCountsNothingTwice() throws Exception {
    assertEquals(
        List.of(),
        streamTheSampleThrough(this::killTheTaskManager),
        "PostgreSQL against batch after a TaskManager was killed");
  }

  /**
   * Measured here: the savepoint is taken and the new job is restored from it, but the trade
   * candles of the windows still open at the savepoint count their trades twice (trade_count 18
   * instead of 9): Beam 2.62's Flink runner creates the Kafka readers of a job resumed from a
   * savepoint twice, once from the savepoint's state and once afresh (apache/beam#34890). KafkaIO's
   * splittable reader was tried instead and double-counts too (trade_count 35 instead of 19).
   * Enable this test when the runner is upgraded to a release with the fix (apache/beam#33606,
   * after 2.62; the registry serves no complete newer set yet); docs/OPERATIONS.md says what to do
   * until then.
   */
  @Test
  @Disabled("Beam 2.62 FlinkRunner reads Kafka twice after a savepoint resume (apache/beam#34890)")
  void aJobStoppedWithASavepointAndResumedLosesNothingAndCountsNothingTwice() throws Exception {
    assertEquals(
        List.of(),
        streamTheSampleThrough(this::stopWithASavepointAndResume),
        "PostgreSQL against batch after a stop with a savepoint and a resume");
  }

  /** A streaming run in progress: what a disruption acts on. */
  private record Streaming(
      LocalKafkaBroker broker, TestPostgres.Database db, Process replay, List<Process> started) {}

  /** Something done to a running job; returns the id of the job that carries on. */
  private interface Disruption {
    String apply(String job, Streaming run) throws Exception;
  }

  /**
   * All five streams of the bundled sample replayed into a broker while the flink jar streams them
   * into PostgreSQL and Parquet on the cluster; {@code disruption} strikes after a checkpoint with
   * rows written, while the replay still publishes. Returns the differences between each sink and
   * the batch rows once the replay's closing heartbeat has closed every window (empty when equal).
   */
  private List<String> streamTheSampleThrough(Disruption disruption) throws Exception {
    Map<String, List<Map<String, Object>>> batch = batchTables();
    TestPostgres.Database db = TestPostgres.freshDatabase();
    List<String> topics = new ArrayList<>();
    CoinCapStream.parseList("all").forEach(s -> topics.add(KafkaTopics.of(s)));
    try (LocalKafkaBroker broker = LocalKafkaBroker.start()) {
      broker.createTopics(topics, 2);
      List<Process> started = new ArrayList<>();
      try {
        Process first = submitStreaming(broker, db, null, dir.resolve("stream-1.log"));
        started.add(first);
        String job = awaitRunningJob(first, dir.resolve("stream-1.log"), List.of());
        Process replay = startReplay(broker);
        started.add(replay);
        awaitCompletedCheckpoints(job, 1);
        LocalCluster.await("candles in PostgreSQL", PATIENCE, () -> candleCount(db) > 0);
        assertTrue(replay.isAlive(), "the replay ended before the disruption");
        disruption.apply(job, new Streaming(broker, db, replay, started));
        assertTrue(replay.isAlive(), "the replay ended during the disruption");
        assertTrue(replay.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS), "the replay hangs");
        assertEquals(0, replay.exitValue(), Files.readString(dir.resolve("replay.log")));
        List<String> differences =
            new ArrayList<>(StreamingComparison.awaitNoDifferences(db, batch, PATIENCE));
        awaitNoParquetDifferences(batch).forEach(d -> differences.add("Parquet: " + d));
        return differences;
      } finally {
        started.forEach(Process::destroyForcibly);
        cancelRunningJobs();
      }
    }
  }

  /** SIGKILL to the TaskManager, a new one started: the job restarts from its last checkpoint. */
  private String killTheTaskManager(String job, Streaming run) throws Exception {
    long taskManager = cluster.daemons().get("taskmanager-1");
    ProcessHandle.of(taskManager).orElseThrow().destroyForcibly();
    LocalCluster.await(
        "the TaskManager to die", PATIENCE, () -> ProcessHandle.of(taskManager).isEmpty());
    cluster.addTaskManager();
    LocalCluster.await(
        "job " + job + " restored from a checkpoint",
        PATIENCE,
        () -> restored(job) != null && "RUNNING".equals(jobState(job)));
    assertFalse(restored(job).path("is_savepoint").asBoolean(), "" + restored(job));
    return job;
  }

  /** POST /jobs/:id/stop with a target directory, then a new job with --savepointPath. */
  private String stopWithASavepointAndResume(String job, Streaming run) throws Exception {
    String savepoint = stopWithSavepoint(job);
    assertEquals("FINISHED", jobState(job));
    Process second =
        submitStreaming(run.broker(), run.db(), savepoint, dir.resolve("stream-2.log"));
    run.started().add(second);
    String resumed = awaitRunningJob(second, dir.resolve("stream-2.log"), List.of(job));
    LocalCluster.await(
        "job " + resumed + " restored from the savepoint",
        PATIENCE,
        () -> restored(resumed) != null);
    assertTrue(restored(resumed).path("is_savepoint").asBoolean(), "" + restored(resumed));
    assertEquals(
        savepoint, restored(resumed).path("external_path").asText(), "" + restored(resumed));
    return resumed;
  }

  /**
   * The streamed Parquet tables against batch, once they agree or patience runs out: a window's
   * final pane is written when it closes, dead letters every 10 s. The five tables must be equal.
   * Dead letters in Parquet are at least once across a restore (a batch written after the last
   * checkpoint is written again when the records are read again), so there every batch dead letter
   * must be present, and nothing else, but a repeat is allowed.
   */
  private List<String> awaitNoParquetDifferences(Map<String, List<Map<String, Object>>> batch)
      throws Exception {
    String dead = DeadLetters.table().name();
    return StreamingComparison.awaitNone(
        () -> {
          List<String> differences = new ArrayList<>();
          Map<String, List<Map<String, Object>>> streamed =
              StreamingComparison.readParquet(streamedParquet());
          for (String difference : StreamingComparison.differences(streamed, batch)) {
            if (!difference.startsWith(dead + ":")) {
              differences.add(difference);
            }
          }
          Set<List<Object>> got =
              StreamingComparison.deadLetterMultiset(streamed.get(dead)).keySet();
          Set<List<Object>> want = StreamingComparison.deadLetterMultiset(batch.get(dead)).keySet();
          if (!got.equals(want)) {
            differences.add(dead + ": streamed " + got + ", batch " + want);
          }
          return differences;
        },
        PATIENCE);
  }

  /** Where the streaming jobs write Parquet (a resumed job goes on in the same folder). */
  private Path streamedParquet() {
    return dir.resolve("streamed");
  }

  /** The Direct runner's batch tables as plain rows, which the final panes must equal. */
  private Map<String, List<Map<String, Object>>> batchTables() throws Exception {
    Path out = dir.resolve("batch");
    LocalCluster.directRunnerTables(sample + "/{stream}/*", out);
    return StreamingComparison.readParquet(out);
  }

  /**
   * The flink jar in streaming, all five streams into PostgreSQL and Parquet, submitted to the
   * cluster as a user does; {@code savepoint} (or null) is where a stopped job's state is resumed
   * from. Event time moves only with the replay's heartbeats (the idle rule is set to an hour), so
   * the windows are decided by the data whatever the timing of the failures.
   */
  private Process submitStreaming(
      LocalKafkaBroker broker, TestPostgres.Database db, String savepoint, Path log)
      throws Exception {
    List<String> command = RunnerJars.javaCommand("flink");
    command.addAll(
        List.of(
            "--runner=FlinkRunner",
            "--flinkMaster=" + cluster.master(),
            "--parallelism=2",
            "--streaming=true",
            "--mode=STREAMING",
            "--streams=all",
            "--sinks=postgres,parquet",
            "--output=" + streamedParquet(),
            "--checkpointingInterval=2000",
            "--kafkaBootstrapServers=" + broker.bootstrapServers(),
            "--kafkaGroupId=cluster-test",
            "--kafkaIdleAfter=1h",
            "--earlyFiringInterval=1s"));
    command.addAll(List.of(db.flags()));
    if (savepoint != null) {
      command.add("--savepointPath=" + savepoint);
    }
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
  }

  /** The replay tool publishing the bundled sample with watermark heartbeats, as users run it. */
  private Process startReplay(LocalKafkaBroker broker) throws Exception {
    return new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp",
            RunnerJars.ingestJar().toString(),
            "io.coinbeam.ingest.Replay",
            "--input=" + sample + "/{stream}/*",
            "--speed=" + REPLAY_SPEED,
            "--bootstrap=" + broker.bootstrapServers(),
            "--heartbeats=true")
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("replay.log").toFile())
        .start();
  }

  /** The one RUNNING job that is not in {@code before}, once the client has submitted it. */
  private String awaitRunningJob(Process client, Path log, List<String> before) throws Exception {
    String[] found = new String[1];
    LocalCluster.await(
        "a new running job (client log " + log + ")",
        PATIENCE,
        () -> {
          for (JsonNode job : jobs()) {
            String id = job.path("jid").asText();
            if (!before.contains(id) && "RUNNING".equals(job.path("state").asText())) {
              found[0] = id;
              return true;
            }
          }
          if (!client.isAlive() && client.exitValue() != 0) {
            throw new AssertionError("the client failed:\n" + read(log));
          }
          return false;
        });
    return found[0];
  }

  private String stopWithSavepoint(String job) throws Exception {
    Path target = dir.resolve("savepoints");
    JsonNode trigger =
        cluster.post(
            "/jobs/" + job + "/stop",
            "{\"targetDirectory\":\"" + target.toUri() + "\",\"drain\":false}");
    String request = trigger.path("request-id").asText();
    JsonNode[] status = new JsonNode[1];
    LocalCluster.await(
        "the savepoint of " + job,
        PATIENCE,
        () -> {
          status[0] = unchecked(() -> cluster.get("/jobs/" + job + "/savepoints/" + request));
          return "COMPLETED".equals(status[0].path("status").path("id").asText());
        });
    JsonNode operation = status[0].path("operation");
    assertTrue(operation.has("location"), "the savepoint failed: " + operation);
    String location = operation.path("location").asText();
    LocalCluster.await(
        "job " + job + " to finish", PATIENCE, () -> "FINISHED".equals(jobState(job)));
    return location;
  }

  /** Leaves the cluster free for the next test, also when this one failed half-way. */
  private void cancelRunningJobs() throws Exception {
    for (JsonNode job : jobs()) {
      String state = job.path("state").asText();
      if (!List.of("FINISHED", "CANCELED", "FAILED").contains(state)) {
        cluster.patch("/jobs/" + job.path("jid").asText() + "?mode=cancel");
      }
    }
  }

  private List<JsonNode> jobs() {
    List<JsonNode> jobs = new ArrayList<>();
    unchecked(() -> cluster.get("/jobs/overview")).path("jobs").forEach(jobs::add);
    return jobs;
  }

  private List<String> jobStates() {
    return jobs().stream().map(j -> j.path("state").asText()).toList();
  }

  private String jobState(String job) {
    return unchecked(() -> cluster.get("/jobs/" + job)).path("state").asText();
  }

  /** The checkpoint or savepoint the job's current run was restored from, or null. */
  private JsonNode restored(String job) {
    JsonNode node = unchecked(() -> cluster.get("/jobs/" + job + "/checkpoints"));
    JsonNode restored = node.path("latest").path("restored");
    return restored.isObject() ? restored : null;
  }

  private long completedCheckpoints(String job) {
    return unchecked(() -> cluster.get("/jobs/" + job + "/checkpoints"))
        .path("counts")
        .path("completed")
        .asLong();
  }

  private void awaitCompletedCheckpoints(String job, long count) throws InterruptedException {
    LocalCluster.await(
        count + " completed checkpoints of " + job,
        PATIENCE,
        () -> completedCheckpoints(job) >= count);
  }

  private static long candleCount(TestPostgres.Database db) {
    try (Connection connection = db.connect()) {
      return PostgresTables.read(connection, CoinCapStream.TRADES.table()).size();
    } catch (java.sql.SQLException e) {
      return 0; // the job has not created the table yet
    }
  }

  private static String read(Path log) {
    return unchecked(() -> Files.readString(log));
  }

  private interface Call<T> {
    T call() throws Exception;
  }

  private static <T> T unchecked(Call<T> call) {
    try {
      return call.call();
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
