package io.coinbeam.ingest;

import java.time.Clock;
import java.time.Duration;

/**
 * Holds records back until their time has come: record {@code i} goes out at {@code start + (t_i -
 * t_0) / speed} on the wall clock, where {@code t} is event time. Speed 1 is the original pace, 10
 * ten times faster; {@link #AS_FAST_AS_POSSIBLE} never waits. Deadlines are computed from the
 * start, not from the previous record, so small sleeping errors do not add up over a long replay.
 */
public final class Pacer {
  /** The speed that means no pacing at all. */
  public static final double AS_FAST_AS_POSSIBLE = 0;

  private final double speed;
  private final Clock clock;
  private final Sleeper sleeper;
  private long firstEventMillis;
  private long startWallNanos;
  private boolean started;

  public Pacer(double speed, Clock clock, Sleeper sleeper) {
    if (speed < 0 || Double.isNaN(speed) || Double.isInfinite(speed)) {
      throw new IllegalArgumentException("speed must be 0 (as fast as possible) or above");
    }
    this.speed = speed;
    this.clock = clock;
    this.sleeper = sleeper;
  }

  /** Waits until a record with this event time is due. */
  public void awaitTurn(long eventMillis) throws InterruptedException {
    if (speed == AS_FAST_AS_POSSIBLE) {
      return;
    }
    long nowNanos = nanos();
    if (!started) {
      started = true;
      firstEventMillis = eventMillis;
      startWallNanos = nowNanos;
      return;
    }
    double offsetNanos = (eventMillis - firstEventMillis) * 1_000_000.0 / speed;
    long dueNanos = startWallNanos + (long) offsetNanos;
    if (dueNanos > nowNanos) {
      sleeper.sleep(Duration.ofNanos(dueNanos - nowNanos));
    }
  }

  private long nanos() {
    java.time.Instant now = clock.instant();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }
}
