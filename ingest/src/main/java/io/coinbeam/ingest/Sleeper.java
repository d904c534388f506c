package io.coinbeam.ingest;

import java.time.Duration;

/** Waiting, made replaceable so that tests of back-off and pacing never really wait. */
@FunctionalInterface
public interface Sleeper {
  void sleep(Duration duration) throws InterruptedException;

  /** The real thing: {@link Thread#sleep}. */
  Sleeper SYSTEM =
      duration -> {
        if (!duration.isNegative() && !duration.isZero()) {
          Thread.sleep(duration.toMillis(), (int) (duration.toNanosPart() % 1_000_000));
        }
      };
}
