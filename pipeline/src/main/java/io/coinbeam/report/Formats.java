package io.coinbeam.report;

import io.coinbeam.schema.ColumnType;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * How values read from the tables are shown to a person: times in UTC to the minute (seconds only
 * when there are any), big amounts with a unit suffix, prices with six significant digits.
 */
final class Formats {
  private static final DateTimeFormatter MINUTES =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT).withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter SECONDS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);
  private static final String[] UNITS = {"", "K", "M", "B", "T"};

  private Formats() {}

  /** A cell of a column of that type, as plain text (the caller escapes it). */
  static String cell(ColumnType type, Object value) {
    if (value == null) {
      return "";
    }
    return switch (type) {
      case TIMESTAMP -> value instanceof Number n ? time(n.longValue()) : value.toString();
      case INTEGER -> value instanceof Number n ? count(n.longValue()) : value.toString();
      case FLOAT -> value instanceof Number n ? number(n.doubleValue()) : value.toString();
      case BOOLEAN -> Boolean.TRUE.equals(value) ? "yes" : "no";
      case STRING -> value.toString();
    };
  }

  /** 2024-05-07 12:05 (UTC), or 2024-05-07 12:05:30 when the seconds are not zero. */
  static String time(long epochMillis) {
    Instant at = Instant.ofEpochMilli(epochMillis);
    return epochMillis % 60_000 == 0 ? MINUTES.format(at) : SECONDS.format(at);
  }

  static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  /**
   * 61,234.57 for thousands; 1.23 M, 4.56 B for millions and up; otherwise six significant digits,
   * so 1.00031 and 0.0000123457 keep what matters.
   */
  static String number(double x) {
    if (Double.isNaN(x) || Double.isInfinite(x)) {
      return Double.toString(x);
    }
    double abs = Math.abs(x);
    if (abs >= 1e6) {
      int unit = 0;
      double scaled = x;
      while (Math.abs(scaled) >= 1000 && unit < UNITS.length - 1) {
        scaled /= 1000;
        unit++;
      }
      return String.format(Locale.ROOT, "%,.2f %s", scaled, UNITS[unit]);
    }
    if (abs >= 1000) {
      return String.format(Locale.ROOT, "%,.2f", x);
    }
    if (x == 0) {
      return "0";
    }
    return new BigDecimal(x).round(new MathContext(6)).stripTrailingZeros().toPlainString();
  }

  /** A percentage to three significant digits: 42.1 %, -0.445 %, 0.00648 %. */
  static String percent(double x) {
    if (Double.isNaN(x) || Double.isInfinite(x)) {
      return Double.toString(x);
    }
    if (x == 0) {
      return "0 %";
    }
    BigDecimal rounded = new BigDecimal(x).round(new MathContext(3));
    // Never exponent notation, and no trailing zeros after the point (but 120, not 1.2E+2).
    String text =
        rounded.scale() > 0
            ? rounded.stripTrailingZeros().toPlainString()
            : rounded.toPlainString();
    return text + " %";
  }

  /** An amount in US dollars: $1.23 M. */
  static String usd(double x) {
    return "$" + number(x);
  }
}
