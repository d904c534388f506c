package io.coinbeam.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import io.coinbeam.catalog.CoinCapStream;
import io.coinbeam.model.JsonFields;
import io.coinbeam.model.MalformedRecordException;

/**
 * The Kafka key of a row: its natural id, as the contract fixes it. Trades {@code
 * exchange:base:quote}, assets and rates {@code id}, exchanges {@code exchangeId} (or the early-v2
 * {@code id}), markets {@code exchangeId:baseId:quoteId}. Keys are read with {@link JsonFields},
 * the same lookups the parsers use, but a row with a missing id still gets a key of null rather
 * than being dropped: the pipeline dead-letters it, as batch does.
 */
public final class RowKeys {
  private RowKeys() {}

  /** The key of {@code row} in {@code stream}, or null when a part of it is missing. */
  public static String of(CoinCapStream stream, JsonNode row) {
    if (row == null || !row.isObject()) {
      return null;
    }
    return switch (stream) {
      case TRADES -> joined(row, "exchange", "base", "quote");
      case ASSETS, RATES -> joined(row, "id");
      case EXCHANGES -> text(row, "exchangeId", "id");
      case MARKETS -> joined(row, "exchangeId", "baseId", "quoteId");
    };
  }

  private static String joined(JsonNode row, String... names) {
    StringBuilder key = new StringBuilder();
    for (String name : names) {
      String part = text(row, name);
      if (part == null) {
        return null;
      }
      if (key.length() > 0) {
        key.append(':');
      }
      key.append(part);
    }
    return key.toString();
  }

  private static String text(JsonNode row, String... names) {
    try {
      String value = JsonFields.optionalText(row, names);
      return value == null || value.isBlank() ? null : value;
    } catch (MalformedRecordException e) {
      return null; // an id that is an object or array: no usable key
    }
  }
}
