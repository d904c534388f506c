package io.coinbeam.cluster;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coinbeam.testing.LocalCluster;
import io.coinbeam.testing.ProjectFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every real-cluster test class shares: one cluster of its engine for the whole class (two
 * would not fit beside each other on 2 cores), started through the script behind {@code make
 * cluster-up} and always stopped afterwards, also when a test failed; a scratch folder; the bundled
 * sample as input.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ClusterTestBase {
  @TempDir static Path dir;
  final Path sample = ProjectFiles.root().resolve("data/sample");
  LocalCluster cluster;

  /** {@code flink} or {@code spark}. */
  abstract String engine();

  @BeforeAll
  void startCluster() throws Exception {
    cluster = LocalCluster.up(engine(), dir.resolve("cluster"));
  }

  @AfterAll
  void stopCluster() throws Exception {
    if (cluster != null) {
      List<ProcessHandle> daemons = new ArrayList<>();
      for (long pid : cluster.daemons().values()) {
        ProcessHandle.of(pid).ifPresent(daemons::add);
      }
      cluster.close();
      // Nothing cluster-down stopped may outlive it. A few seconds' grace: a killed process is
      // gone only once its new parent (init here) has reaped it.
      for (ProcessHandle daemon : daemons) {
        LocalCluster.await(
            daemon.pid() + " gone after cluster-down",
            Duration.ofSeconds(10),
            () -> !running(daemon));
      }
    }
  }

  /** Alive and not a zombie (state Z in /proc/<pid>/stat: dead, not yet reaped). */
  private static boolean running(ProcessHandle process) {
    if (!process.isAlive()) {
      return false;
    }
    try {
      String stat = Files.readString(Path.of("/proc", String.valueOf(process.pid()), "stat"));
      return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
    } catch (IOException e) {
      return false; // gone meanwhile
    }
  }

  @Test
  void clusterUpAgainSaysItIsAlreadyUpAndPrintsTheSameMaster() throws Exception {
    String again = cluster.upAgain();
    assertTrue(again.contains("is already up"), again);
    String line = engine().toUpperCase(Locale.ROOT) + "_MASTER=" + cluster.master();
    assertTrue(again.lines().anyMatch(line::equals), line + " in:\n" + again);
  }
}
