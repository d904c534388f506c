package io.coinbeam.ingest;

import java.time.Duration;
import java.util.Random;

/**
 * Exponential back-off with full jitter: before retry {@code n} (from 0) wait a uniformly random
 * time between zero and {@code min(cap, base * 2^n)}. Random waits keep many clients from retrying
 * in step after a shared outage; a server's {@code Retry-After} overrides the draw.
 */
public final class Backoff {
  private final Duration base;
  private final Duration cap;
  private final Random random;

  public Backoff(Duration base, Duration cap, Random random) {
    if (base.isNegative() || base.isZero() || cap.compareTo(base) < 0) {
      throw new IllegalArgumentException("need 0 < base <= cap, got " + base + " and " + cap);
    }
    this.base = base;
    this.cap = cap;
    this.random = random;
  }

  /** The ceiling of the wait before retry {@code attempt} (0 = the first retry). */
  public Duration ceiling(int attempt) {
    long baseMillis = base.toMillis();
    int shift = Math.min(attempt, 30);
    long ceiling = baseMillis << shift;
    if (ceiling / (1L << shift) != baseMillis) {
      ceiling = Long.MAX_VALUE; // overflow
    }
    return Duration.ofMillis(Math.min(ceiling, cap.toMillis()));
  }

  /** The wait before retry {@code attempt}: a random share of {@link #ceiling}. */
  public synchronized Duration delay(int attempt) {
    long ceiling = ceiling(attempt).toMillis();
    return Duration.ofMillis((long) (random.nextDouble() * (ceiling + 1)));
  }

  /** The wait the server asked for, capped so a silly value cannot stall us for days. */
  public Duration retryAfter(Duration asked) {
    Duration longest = cap.multipliedBy(10);
    return asked.compareTo(longest) > 0 ? longest : asked;
  }
}
