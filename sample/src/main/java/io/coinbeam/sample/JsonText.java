package io.coinbeam.sample;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;

/**
 * JSON text written by hand, fast and byte-for-byte reproducible: no JSON library decides key order
 * or number formats, and nothing depends on the default locale. Two families: CoinCap REST numbers
 * (decimal strings with a fixed scale, like {@code "38417.0478200847774256"}) and the plain JSON
 * numbers of trade messages, written straight into a byte buffer.
 */
final class JsonText {
  /** Powers of ten that are exact in a long, for fixed-point formatting. */
  static final long[] POW10 = new long[19];

  /** The same as doubles (exact up to 1e22). */
  static final double[] POW10D = new double[19];

  static {
    long p = 1;
    for (int i = 0; i < POW10.length; i++) {
      POW10[i] = p;
      POW10D[i] = p;
      p *= 10;
    }
  }

  private JsonText() {}

  /** A JSON string literal. */
  static String quote(String text) {
    StringBuilder out = new StringBuilder(text.length() + 2).append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }

  /**
   * A number with exactly {@code scale} decimals, as the digits of the double's exact binary value
   * rounded half-even: always the same text for the same double.
   */
  static String decimal(double value, int scale) {
    return new BigDecimal(value).setScale(scale, RoundingMode.HALF_EVEN).toPlainString();
  }

  /** A CoinCap REST number: a JSON string with 16 decimals. */
  static String restNumber(double value) {
    return '"' + decimal(value, 16) + '"';
  }

  /**
   * A CoinCap REST number for a quantity that is round by nature (a supply, a price on an
   * exchange's tick): rounded to 15 significant digits first, so it reads {@code
   * "30.3718000000000000"} like the real API and not the double's binary tail.
   */
  static String restRounded(double value) {
    BigDecimal rounded = new BigDecimal(value).round(new MathContext(15, RoundingMode.HALF_EVEN));
    return '"' + rounded.setScale(16, RoundingMode.HALF_EVEN).toPlainString() + '"';
  }

  /** A CoinCap REST number or null. */
  static String restNumber(Double value) {
    return value == null ? "null" : restNumber(value.doubleValue());
  }

  /** A CoinCap REST whole number: a JSON string such as {@code "1"}. */
  static String restWhole(long value) {
    return "\"" + value + '"';
  }

  /**
   * How many digits {@code value} (positive) has before the decimal point; zero or negative for
   * values below one: 0.5 gives 0, 0.05 gives -1, 2.3e-5 gives -4.
   */
  static int integerDigits(double value) {
    if (value >= 1) {
      int digits = 1;
      while (digits < 19 && value >= POW10D[digits]) {
        digits++;
      }
      return digits;
    }
    int digits = 0;
    double scaled = value * 10;
    while (digits > -18 && scaled < 1) {
      scaled *= 10;
      digits--;
    }
    return digits;
  }

  /**
   * Decimals that give {@code value} (positive) 15 significant digits, at most 18: the precision of
   * the real socket's {@code priceUsd} ({@code 84.57143580503737}).
   */
  static int decimalsFor15Digits(double value) {
    return Math.max(0, Math.min(18, 15 - integerDigits(value)));
  }

  /** ASCII bytes of a constant. */
  static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  /** Copies {@code bytes} to {@code buffer} at {@code pos}; returns the new position. */
  static int put(byte[] buffer, int pos, byte[] bytes) {
    System.arraycopy(bytes, 0, buffer, pos, bytes.length);
    return pos + bytes.length;
  }

  /** Writes a non-negative long in decimal; returns the new position. */
  static int putLong(byte[] buffer, int pos, long value) {
    if (value == 0) {
      buffer[pos] = '0';
      return pos + 1;
    }
    int digits = 1;
    while (digits < 19 && value >= POW10[digits]) {
      digits++;
    }
    int end = pos + digits;
    for (int i = end - 1; i >= pos; i--) {
      buffer[i] = (byte) ('0' + value % 10);
      value /= 10;
    }
    return end;
  }

  /**
   * Writes {@code mantissa / 10^decimals} (mantissa non-negative) as a JSON number without trailing
   * zeros: (6411973, 2) gives {@code 64119.73}, (180, 0) gives {@code 180}.
   */
  static int putFixed(byte[] buffer, int pos, long mantissa, int decimals) {
    if (decimals == 0) {
      return putLong(buffer, pos, mantissa);
    }
    long unit = POW10[decimals];
    pos = putLong(buffer, pos, mantissa / unit);
    long fraction = mantissa % unit;
    if (fraction == 0) {
      return pos;
    }
    int width = decimals;
    while (fraction % 10 == 0) {
      fraction /= 10;
      width--;
    }
    buffer[pos++] = '.';
    int end = pos + width;
    for (int i = end - 1; i >= pos; i--) {
      buffer[i] = (byte) ('0' + fraction % 10);
      fraction /= 10;
    }
    return end;
  }
}
