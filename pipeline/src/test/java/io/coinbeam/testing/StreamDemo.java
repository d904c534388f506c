package io.coinbeam.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code make stream-demo}'s script ({@code scripts/stream-demo.sh}) run as a user runs it: a
 * broker, a replay of the bundled sample paced at 120x while the pipeline already runs (all five
 * streams into Parquet and PostgreSQL), stopped after a fixed time; then every table compared with
 * the batch rows. Shared by the tests of in-process engines and of real clusters, which differ only
 * in the runner flags.
 */
public final class StreamDemo {
  private StreamDemo() {}

  /**
   * Runs the demo for {@code seconds} with the {@code runner} jar and {@code runnerFlags}, Parquet
   * into {@code streamed} and PostgreSQL into {@code db}; fails unless it exits 0; returns its
   * output. The replay takes 15 s; the rest is the job's time to catch up and close every window.
   */
  public static String run(
      String runner,
      List<String> runnerFlags,
      int seconds,
      TestPostgres.Database db,
      Path streamed,
      Path log)
      throws Exception {
    Path sample = ProjectFiles.root().resolve("data/sample");
    List<String> command = new ArrayList<>();
    command.add("bash");
    command.add(ProjectFiles.root().resolve("scripts/stream-demo.sh").toString());
    command.add(RunnerJars.javaCommand("direct").get(0));
    command.add(RunnerJars.ingestJar().toString());
    command.add(sample + "/{stream}/*");
    command.add("120"); // the 30 sampled minutes in 15 s, while the job already runs
    command.add(String.valueOf(seconds));
    command.add(String.valueOf(freePort()));
    command.add("--");
    command.addAll(RunnerJars.javaCommand(runner));
    command.addAll(runnerFlags);
    command.addAll(
        List.of(
            "--streaming=true",
            "--streams=all",
            "--sinks=parquet,postgres",
            "--output=" + streamed));
    command.addAll(List.of(db.flags()));
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    Process process = builder.start();
    if (!process.waitFor(6, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError(
          runner + " demo did not end in 6 minutes:\n" + Files.readString(log));
    }
    String output = Files.readString(log);
    assertEquals(0, process.exitValue(), output);
    return output;
  }

  /** Fails unless the demo's Parquet and PostgreSQL tables both equal the batch rows. */
  public static void assertEveryTableEqualsBatch(
      String runner,
      String output,
      Path streamed,
      TestPostgres.Database db,
      Map<String, List<Map<String, Object>>> batch)
      throws Exception {
    assertEquals(
        List.of(),
        StreamingComparison.differences(StreamingComparison.readParquet(streamed), batch),
        runner + " Parquet; log:\n" + output);
    try (Connection connection = db.connect()) {
      // PostgreSQL holds each key's latest pane: the final one, which equals the batch row.
      assertEquals(
          List.of(),
          StreamingComparison.differences(StreamingComparison.readPostgres(connection), batch),
          runner + " PostgreSQL; log:\n" + output);
    }
  }

  private static int freePort() throws java.io.IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
