package io.coinbeam.options;

import io.coinbeam.flags.Durations;
import org.joda.time.Duration;

/**
 * The durations users type in flags ({@link Durations}), as the Joda durations Beam's API takes.
 */
public final class JodaDurations {
  private JodaDurations() {}

  /** {@code text} read as {@link Durations#parse} reads it; {@code flag} names it in errors. */
  public static Duration parse(String flag, String text) {
    return Duration.millis(Durations.parse(flag, text).toMillis());
  }
}
