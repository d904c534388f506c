package io.coinbeam.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.coinbeam.CoinbeamPipeline;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A real Flink session cluster or Spark standalone cluster on this machine, started and stopped
 * through {@code scripts/cluster.sh}, the script behind {@code make cluster-up} and {@code make
 * cluster-down}, with its state in a folder of the test's own (so a cluster a developer runs is
 * never touched). Jobs go to it as users send them: {@code make run RUNNER=... FLINK_MASTER=...} or
 * the runner jar with {@code --flinkMaster}. Tests use it for what only real separate processes
 * show: submission, scale-out and failures of workers.
 */
public final class LocalCluster implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final String engine;
  private final Path clusterDir;
  private final String master;
  private final String ui;

  private LocalCluster(String engine, Path clusterDir, String master, String ui) {
    this.engine = engine;
    this.clusterDir = clusterDir;
    this.master = master;
    this.ui = ui;
  }

  /**
   * Starts a cluster of {@code engine} ({@code flink} or {@code spark}) with its state under {@code
   * clusterDir}; fails the test with the script's output (which ends with the daemons' log tails)
   * when it does not come up.
   */
  public static LocalCluster up(String engine, Path clusterDir) throws Exception {
    String output = script(clusterDir, "up", engine);
    String prefix = engine.toUpperCase(Locale.ROOT) + "_MASTER=";
    String master = null;
    String ui = null;
    for (String line : output.split("\n")) {
      if (line.startsWith(prefix)) {
        master = line.substring(prefix.length());
      } else if (line.startsWith("UI: ")) {
        ui = line.substring("UI: ".length());
      }
    }
    if (master == null || ui == null) {
      script(clusterDir, "down", engine);
      throw new AssertionError("cluster-up printed no " + prefix + " and UI lines:\n" + output);
    }
    return new LocalCluster(engine, clusterDir, master, ui);
  }

  /**
   * Runs {@code scripts/cluster.sh <action> <engine>}, returning its output; fails on exit != 0.
   */
  private static String script(Path clusterDir, String action, String engine) throws Exception {
    Path log = Files.createTempFile("cluster-" + action, ".log");
    try {
      ProcessBuilder builder =
          new ProcessBuilder(
                  "bash",
                  ProjectFiles.root().resolve("scripts/cluster.sh").toString(),
                  action,
                  engine)
              .directory(ProjectFiles.root().toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile());
      builder.environment().put("CLUSTER_DIR", clusterDir.toString());
      builder.environment().put("JAVA", javaBin());
      Process process = builder.start();
      if (!process.waitFor(5, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new AssertionError(
            "cluster.sh " + action + " took over 5 minutes:\n" + Files.readString(log));
      }
      String output = Files.readString(log);
      if (process.exitValue() != 0) {
        throw new AssertionError("cluster.sh " + action + " " + engine + " failed:\n" + output);
      }
      return output;
    } finally {
      Files.deleteIfExists(log);
    }
  }

  private static String javaBin() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** What cluster-up printed after {@code FLINK_MASTER=} or {@code SPARK_MASTER=}. */
  public String master() {
    return master;
  }

  /** The folder holding the cluster's state (pids, config, logs, scratch). */
  public Path stateDir() {
    return clusterDir.resolve(engine);
  }

  /** The running daemons the script recorded, by name (jobmanager, taskmanager-1, master...). */
  public Map<String, Long> daemons() throws IOException {
    Map<String, Long> daemons = new LinkedHashMap<>();
    for (String line : Files.readAllLines(stateDir().resolve("pids"))) {
      String[] parts = line.trim().split(" ");
      if (parts.length == 2) {
        daemons.put(parts[0], Long.parseLong(parts[1]));
      }
    }
    return daemons;
  }

  /** {@code cluster-up} again while this cluster runs: what it prints. */
  public String upAgain() throws Exception {
    return script(clusterDir, "up", engine);
  }

  /** Starts one more Flink TaskManager (as after one died) and waits until it offers slots. */
  public void addTaskManager() throws Exception {
    script(clusterDir, "add-taskmanager", engine);
  }

  /** GET on the cluster's REST API / UI ({@code /overview}, {@code /json/}...), as JSON. */
  public JsonNode get(String path) throws Exception {
    return send(HttpRequest.newBuilder(URI.create(ui + path)).GET());
  }

  /** POST of a JSON body to the cluster's REST API. */
  public JsonNode post(String path, String body) throws Exception {
    return send(
        HttpRequest.newBuilder(URI.create(ui + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  /** PATCH on the cluster's REST API (Flink cancels a job with {@code ?mode=cancel}). */
  public void patch(String path) throws Exception {
    send(
        HttpRequest.newBuilder(URI.create(ui + path))
            .method("PATCH", HttpRequest.BodyPublishers.noBody()));
  }

  private static JsonNode send(HttpRequest.Builder request) throws Exception {
    HttpResponse<String> response =
        HTTP.send(
            request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() / 100 != 2) {
      throw new IOException(
          response.uri() + " answered " + response.statusCode() + ": " + response.body());
    }
    String body = response.body();
    return body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body);
  }

  /**
   * {@code make run} (all five streams, batch) submitted to this cluster as a user runs it, with
   * the runner jar {@code make test} built (never rebuilt here); returns the process, its output
   * going to {@code log}.
   */
  public Process submitRun(Path input, Path output, Path log) throws IOException {
    Path jar = RunnerJars.jar(engine);
    List<String> command =
        new ArrayList<>(
            List.of(
                "make",
                "--no-print-directory",
                "-o",
                jar.toString(),
                "run",
                "JAR=" + jar,
                "JAVA=" + javaBin(),
                "JAVA_OPTS=-Xmx1g",
                "RUNNER=" + engine,
                engine.toUpperCase(Locale.ROOT) + "_MASTER=" + master,
                "CLUSTER_DIR=" + clusterDir,
                "INPUT=" + input,
                "OUTPUT=" + output));
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(ProjectFiles.root().toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    // Make's own settings from an enclosing make (make test) would leak into this one.
    builder.environment().keySet().removeAll(List.of("MAKEFLAGS", "MAKELEVEL", "MFLAGS"));
    return builder.start();
  }

  /** Waits for a submitted run to end and fails the test with its log unless it exited 0. */
  public static void assertSucceeds(Process run, Path log, Duration patience) throws Exception {
    if (!run.waitFor(patience.toSeconds(), TimeUnit.SECONDS)) {
      run.destroyForcibly();
      throw new AssertionError(
          "the run did not end in " + patience + ":\n" + Files.readString(log));
    }
    assertTrue(run.exitValue() == 0, "the run failed:\n" + Files.readString(log));
  }

  /**
   * The Direct runner's tables for {@code input} (run in this JVM), each as its records' text: the
   * reference every cluster run must equal.
   */
  public static Map<String, List<String>> directRunnerTables(String input, Path output)
      throws Exception {
    int exit =
        CoinbeamPipeline.run(
            new String[] {"--runner=DirectRunner", "--input=" + input, "--output=" + output});
    assertTrue(exit == CoinbeamPipeline.EXIT_OK, "the Direct runner's batch run failed");
    return ParquetFiles.everyTableAsText(output);
  }

  /**
   * Fails unless the run's tables under {@code output} hold exactly the rows of {@code expected}
   * ({@link #directRunnerTables}), every table non-empty.
   */
  public static void assertSameTables(Map<String, List<String>> expected, Path output)
      throws IOException {
    Map<String, List<String>> actual = ParquetFiles.everyTableAsText(output);
    assertEquals(expected.keySet(), actual.keySet());
    for (String table : expected.keySet()) {
      assertFalse(expected.get(table).isEmpty(), table + " is empty");
      assertEquals(
          expected.get(table), actual.get(table), table + " differs from the Direct runner");
    }
  }

  /** Polls {@code condition} every half second until it holds, or fails saying {@code what}. */
  public static void await(String what, Duration patience, BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + patience.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + patience + ": " + what);
      }
      Thread.sleep(500);
    }
  }

  /** Stops every daemon the cluster started (cluster-down); logs stay in {@link #stateDir()}. */
  @Override
  public void close() throws Exception {
    script(clusterDir, "down", engine);
  }
}
