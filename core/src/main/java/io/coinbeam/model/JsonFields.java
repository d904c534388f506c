package io.coinbeam.model;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Typed reads of CoinCap JSON fields with CoinCap's quirks: numbers arrive as JSON strings in REST
 * rows and as JSON numbers in socket messages, optional fields are null or absent, keys were
 * renamed over the years. Every failure names the field, so a dead letter explains itself.
 */
public final class JsonFields {
  /** 2009-01-03, the first Bitcoin block: nothing CoinCap reports can be older. */
  static final long EARLIEST_MILLIS = 1_230_940_800_000L;

  /** 2100-01-01: later values are corrupt (one real capture carries 2.1e18). */
  static final long LATEST_MILLIS = 4_102_444_800_000L;

  /**
   * The largest magnitude a number may have. Nothing CoinCap reports comes near it (supplies and
   * volumes stay below 1e30), and it keeps every aggregate finite: a product of two fields stays
   * below 1e300, so even 10^8 of them sum far below the largest double. Larger values are corrupt
   * and become dead letters, instead of Infinity or NaN in a table.
   */
  public static final double MAX_MAGNITUDE = 1e150;

  /** Below this an epoch value is in seconds, not milliseconds (some exchanges send seconds). */
  private static final long SECONDS_THRESHOLD = 100_000_000_000L;

  private JsonFields() {}

  /** The first of {@code names} that is present and not null, or null. */
  public static JsonNode field(JsonNode row, String... names) {
    for (String name : names) {
      JsonNode value = row.get(name);
      if (value != null && !value.isNull()) {
        return value;
      }
    }
    return null;
  }

  public static String requiredText(JsonNode row, String... names) throws MalformedRecordException {
    String value = optionalText(row, names);
    if (value == null || value.isBlank()) {
      throw new MalformedRecordException("missing " + String.join(" or ", names));
    }
    return value;
  }

  public static String optionalText(JsonNode row, String... names) throws MalformedRecordException {
    JsonNode value = field(row, names);
    if (value == null) {
      return null;
    }
    if (!value.isValueNode()) {
      throw new MalformedRecordException(names[0] + ": expected text, got " + value.getNodeType());
    }
    return value.asText();
  }

  /** A finite number given as a JSON number or a numeric string, required. */
  public static double requiredNumber(JsonNode row, String name) throws MalformedRecordException {
    Double value = optionalNumber(row, name);
    if (value == null) {
      throw new MalformedRecordException("missing " + name);
    }
    return value;
  }

  /** A finite number given as a JSON number or a numeric string; null when absent or null. */
  public static Double optionalNumber(JsonNode row, String name) throws MalformedRecordException {
    JsonNode value = field(row, name);
    if (value == null) {
      return null;
    }
    double number;
    if (value.isNumber()) {
      number = value.doubleValue();
    } else if (value.isTextual()) {
      String text = value.textValue().trim();
      if (text.isEmpty()) {
        return null;
      }
      try {
        // BigDecimal reads plain decimals only: "12f", "0x1p3", "NaN" and "Infinity" are refused.
        number = new java.math.BigDecimal(text).doubleValue();
      } catch (NumberFormatException e) {
        throw new MalformedRecordException(name + ": not a number: \"" + abbreviate(text) + "\"");
      }
    } else {
      throw new MalformedRecordException(name + ": expected a number, got " + value.getNodeType());
    }
    if (!Double.isFinite(number)) {
      throw new MalformedRecordException(name + ": not a finite number: " + number);
    }
    if (Math.abs(number) > MAX_MAGNITUDE) {
      throw new MalformedRecordException(
          name + ": " + number + " is out of range (above " + MAX_MAGNITUDE + " in magnitude)");
    }
    return number;
  }

  /** A whole number (rank, trading pairs, trade counts), given as a number or a string. */
  public static Long optionalWholeNumber(JsonNode row, String name)
      throws MalformedRecordException {
    Double value = optionalNumber(row, name);
    if (value == null) {
      return null;
    }
    if (value != Math.rint(value) || Math.abs(value) > 9.0e15) {
      throw new MalformedRecordException(name + ": not a whole number: " + value);
    }
    return value.longValue();
  }

  public static Boolean optionalBoolean(JsonNode row, String name) throws MalformedRecordException {
    JsonNode value = field(row, name);
    if (value == null) {
      return null;
    }
    if (value.isBoolean()) {
      return value.booleanValue();
    }
    if (value.isTextual()
        && ("true".equals(value.textValue()) || "false".equals(value.textValue()))) {
      return Boolean.parseBoolean(value.textValue());
    }
    throw new MalformedRecordException(name + ": expected true or false, got " + value);
  }

  /** An epoch time in milliseconds; whole seconds are accepted and scaled. */
  public static long requiredEpochMillis(JsonNode row, String name)
      throws MalformedRecordException {
    JsonNode value = field(row, name);
    if (value == null) {
      throw new MalformedRecordException("missing " + name);
    }
    boolean wholeNumber = value.isIntegralNumber() && value.canConvertToLong();
    if (!wholeNumber && !(value.isTextual() && value.textValue().matches("\\d{1,19}"))) {
      throw new MalformedRecordException(name + ": expected epoch milliseconds, got " + value);
    }
    long raw;
    try {
      raw = value.isTextual() ? Long.parseLong(value.textValue()) : value.longValue();
    } catch (NumberFormatException e) {
      throw new MalformedRecordException(name + ": out of range: " + value);
    }
    return checkedEpochMillis(name, raw);
  }

  /** Validates an epoch value and scales whole seconds to milliseconds. */
  public static long checkedEpochMillis(String name, long raw) throws MalformedRecordException {
    long millis = raw > 0 && raw < SECONDS_THRESHOLD ? raw * 1000 : raw;
    if (millis < EARLIEST_MILLIS || millis >= LATEST_MILLIS) {
      throw new MalformedRecordException(
          name + ": " + raw + " is not a time between 2009 and 2100 in epoch milliseconds");
    }
    return millis;
  }

  static String abbreviate(String text) {
    return text.length() <= 40 ? text : text.substring(0, 40) + "...";
  }
}
