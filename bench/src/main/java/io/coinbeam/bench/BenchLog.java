package io.coinbeam.bench;

import java.time.LocalTime;
import java.time.format.DateTimeFormatter;

/** Progress lines of a benchmark run, with the time of day: a long run shows it is alive. */
public final class BenchLog {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

  /** Prints one line. */
  public void info(String message) {
    System.out.println("[bench " + LocalTime.now().format(TIME) + "] " + message);
    System.out.flush();
  }
}
