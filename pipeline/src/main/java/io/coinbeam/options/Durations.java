package io.coinbeam.options;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.joda.time.Duration;
import org.joda.time.Period;

/**
 * Reads the durations users type in flags: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}, or
 * ISO-8601 {@code PT5M}.
 */
public final class Durations {
  private static final Pattern SHORT = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

  private Durations() {}

  public static Duration parse(String flag, String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("--" + flag + " needs a duration such as 30s, 5m or 1h");
    }
    String value = text.trim().toLowerCase(Locale.ROOT);
    Matcher m = SHORT.matcher(value);
    Duration duration;
    if (m.matches()) {
      try {
        long n = Long.parseLong(m.group(1));
        duration =
            switch (m.group(2)) {
              case "ms" -> Duration.millis(n);
              case "s" -> Duration.standardSeconds(n);
              case "m" -> Duration.standardMinutes(n);
              case "h" -> Duration.standardHours(n);
              default -> Duration.standardDays(n);
            };
      } catch (ArithmeticException | NumberFormatException e) {
        throw new IllegalArgumentException("--" + flag + "=" + text + " is too long a duration");
      }
    } else {
      try {
        duration = Period.parse(text.trim().toUpperCase(Locale.ROOT)).toStandardDuration();
      } catch (IllegalArgumentException | UnsupportedOperationException e) {
        throw new IllegalArgumentException(
            "--" + flag + "=" + text + " is not a duration; use e.g. 30s, 5m, 1h or PT5M");
      }
    }
    if (duration.getMillis() < 0) {
      throw new IllegalArgumentException("--" + flag + " must not be negative");
    }
    return duration;
  }
}
