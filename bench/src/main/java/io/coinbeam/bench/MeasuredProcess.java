package io.coinbeam.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs one command as a child process and measures it from the outside, the same way for every
 * contender: wall time from start to exit, and peak resident memory, read from {@code
 * /proc/<pid>/status} ({@code VmHWM}, the kernel's high-water mark) while it runs.
 */
public final class MeasuredProcess {
  private static final long POLL_MILLIS = 50;

  private MeasuredProcess() {}

  /**
   * What one run measured.
   *
   * @param exitCode the process's exit code, or -1 when it timed out and was killed
   * @param wallSeconds from start to exit
   * @param peakRssBytes the largest resident set seen; 0 where /proc cannot tell
   * @param log where its stdout and stderr went
   */
  public record Measurement(
      int exitCode, double wallSeconds, long peakRssBytes, boolean timedOut, Path log) {}

  /** Runs {@code command}, output to {@code log}, killing it after {@code timeout}. */
  public static Measurement run(
      List<String> command, Map<String, String> environment, Path log, Duration timeout)
      throws IOException, InterruptedException {
    Files.createDirectories(log.getParent());
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(environment);
    builder.redirectOutput(log.toFile());
    long started = System.nanoTime();
    Process process = builder.start();
    // If the benchmark itself is stopped (Ctrl-C), the contender it is timing goes with it.
    Thread reaper = new Thread(process::destroyForcibly, "stop-" + process.pid());
    Runtime.getRuntime().addShutdownHook(reaper);
    Path status = Path.of("/proc", Long.toString(process.pid()), "status");
    long peak = 0;
    long deadline = started + timeout.toNanos();
    boolean timedOut = false;
    while (!process.waitFor(POLL_MILLIS, TimeUnit.MILLISECONDS)) {
      peak = Math.max(peak, peakRss(status));
      if (System.nanoTime() > deadline) {
        timedOut = true;
        process.destroyForcibly().waitFor();
        break;
      }
    }
    double wall = (System.nanoTime() - started) / 1e9;
    try {
      Runtime.getRuntime().removeShutdownHook(reaper);
    } catch (IllegalStateException shuttingDown) {
      // the hook runs anyway; nothing to undo
    }
    return new Measurement(timedOut ? -1 : process.exitValue(), wall, peak, timedOut, log);
  }

  /** VmHWM (or VmRSS) of a live process in bytes; 0 once it has gone or where /proc is absent. */
  static long peakRss(Path status) {
    try {
      long rss = 0;
      for (String line : Files.readAllLines(status)) {
        if (line.startsWith("VmHWM:")) {
          return kilobytes(line) * 1024;
        }
        if (line.startsWith("VmRSS:")) {
          rss = kilobytes(line) * 1024;
        }
      }
      return rss;
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  private static long kilobytes(String line) {
    return Long.parseLong(line.replaceAll("[^0-9]", ""));
  }
}
