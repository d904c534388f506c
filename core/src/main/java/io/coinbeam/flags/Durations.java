package io.coinbeam.flags;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the durations users type in flags: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}, or
 * ISO-8601 {@code PT5M}. The ingester, the replay tool and the pipeline's flags all read them here.
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
              case "ms" -> Duration.ofMillis(n);
              case "s" -> Duration.ofSeconds(n);
              case "m" -> Duration.ofMinutes(n);
              case "h" -> Duration.ofHours(n);
              default -> Duration.ofDays(n);
            };
      } catch (ArithmeticException | NumberFormatException e) {
        throw new IllegalArgumentException("--" + flag + "=" + text + " is too long a duration");
      }
    } else {
      try {
        duration = Duration.parse(text.trim().toUpperCase(Locale.ROOT));
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException(
            "--" + flag + "=" + text + " is not a duration; use e.g. 30s, 5m, 1h or PT5M");
      }
    }
    if (duration.isNegative()) {
      throw new IllegalArgumentException("--" + flag + " must not be negative");
    }
    return duration;
  }
}
