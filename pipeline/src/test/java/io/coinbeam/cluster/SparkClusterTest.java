package io.coinbeam.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coinbeam.testing.LocalCluster;
import io.coinbeam.testing.NeedsRunnerJars;
import io.coinbeam.testing.StreamDemo;
import io.coinbeam.testing.StreamingComparison;
import io.coinbeam.testing.TestPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A real Spark 3.5 standalone cluster on this machine (master, worker and the executors the worker
 * launches, each a JVM of its own, from {@code make cluster-up ENGINE=spark}) running the spark jar
 * as users submit it, {@code make run RUNNER=spark SPARK_MASTER=spark://...}: the driver here, the
 * tasks on the executors. Batch of all five streams gives the Direct runner's rows, also when the
 * executor is killed with SIGKILL in the middle of the job (Spark launches another and reruns the
 * lost tasks). The cluster is always stopped (cluster-down), also on failure.
 */
@NeedsRunnerJars
class SparkClusterTest extends ClusterTestBase {
  private static final Duration PATIENCE = Duration.ofMinutes(4);

  private Map<String, List<String>> direct;

  @Override
  String engine() {
    return "spark";
  }

  @BeforeAll
  void runDirect() throws Exception {
    direct = LocalCluster.directRunnerTables(sample + "/{stream}/*", dir.resolve("direct"));
  }

  @Test
  void batchOfAllFiveStreamsOnTheClusterWritesTheDirectRunnersRows() throws Exception {
    Path log = dir.resolve("spark-batch.log");
    int appsBefore = completedApps();
    Process run = cluster.submitRun(sample.resolve("{stream}/*"), dir.resolve("spark"), log);
    LocalCluster.assertSucceeds(run, log, PATIENCE);
    LocalCluster.assertSameTables(direct, dir.resolve("spark"));
    // The tasks ran on the cluster: the master lists one more finished application.
    assertEquals(appsBefore + 1, completedApps(), "" + cluster.get("/json/"));
  }

  private int completedApps() throws Exception {
    return cluster.get("/json/").path("completedapps").size();
  }

  @Test
  void anExecutorKilledMidJobHasItsTasksRerunAndTheRowsStayTheSame() throws Exception {
    Path log = dir.resolve("spark-kill.log");
    Process run = cluster.submitRun(sample.resolve("{stream}/*"), dir.resolve("killed"), log);
    try {
      long worker = cluster.daemons().get("worker");
      ProcessHandle[] executor = new ProcessHandle[1];
      LocalCluster.await(
          "an executor running tasks (log " + log + ")",
          PATIENCE,
          () -> {
            executor[0] = runningExecutor(worker).orElse(null);
            return executor[0] != null && executorLogs().anyMatch(SparkClusterTest::runsTasks);
          });
      assertTrue(run.isAlive(), "the job ended before its executor was killed");
      executor[0].destroyForcibly(); // SIGKILL
      LocalCluster.assertSucceeds(run, log, PATIENCE);
    } finally {
      run.destroyForcibly();
    }
    LocalCluster.assertSameTables(direct, dir.resolve("killed"));
    // The worker launched a second executor for the application, which reran the lost tasks.
    assertTrue(executorLogs().count() >= 2, "one executor only: " + executorLogs().toList());
  }

  @Test
  void streamingOfAllFiveStreamsOnTheClusterEqualsBatchInEveryTable() throws Exception {
    // make stream-demo's shape: broker, paced replay, the streaming job (micro-batches on the
    // cluster's executors), Parquet and PostgreSQL compared with the batch rows.
    Path batchOut = dir.resolve("batch");
    LocalCluster.directRunnerTables(sample + "/{stream}/*", batchOut);
    TestPostgres.Database db = TestPostgres.freshDatabase();
    Path streamed = dir.resolve("streamed");
    int appsBefore = completedApps();
    String output =
        StreamDemo.run(
            "spark",
            List.of(
                "--runner=SparkRunner",
                "--sparkMaster=" + cluster.master(),
                "--batchIntervalMillis=1000",
                "--checkpointDir=" + dir.resolve("spark-checkpoints")),
            // Twice the in-process demo's 50 s: each micro-batch is scheduled on the executor of
            // another JVM, and 50 s left tables short on this 2-core machine when it was busy.
            100,
            db,
            streamed,
            dir.resolve("spark-streaming.log"));
    StreamDemo.assertEveryTableEqualsBatch(
        "spark cluster", output, streamed, db, StreamingComparison.readParquet(batchOut));
    assertEquals(appsBefore + 1, completedApps(), "ran on the cluster: " + cluster.get("/json/"));
  }

  /** The executor JVM the worker launched for the current application, if one runs. */
  private static Optional<ProcessHandle> runningExecutor(long worker) {
    return ProcessHandle.of(worker).stream()
        .flatMap(ProcessHandle::descendants)
        .filter(p -> p.info().commandLine().orElse("").contains("CoarseGrainedExecutorBackend"))
        .findFirst();
  }

  /** The stderr of every executor the worker launched for the newest application. */
  private Stream<Path> executorLogs() {
    Path work = cluster.stateDir().resolve("home/work");
    try (Stream<Path> apps = Files.list(work)) {
      Optional<Path> newest = apps.filter(Files::isDirectory).max(Path::compareTo);
      if (newest.isEmpty()) {
        return Stream.empty();
      }
      try (Stream<Path> executors = Files.list(newest.get())) {
        return executors
            .map(e -> e.resolve("stderr"))
            .filter(Files::isRegularFile)
            .toList()
            .stream();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean runsTasks(Path stderr) {
    try {
      return Files.readString(stderr).contains("Running task");
    } catch (IOException e) {
      return false;
    }
  }
}
