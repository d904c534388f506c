package io.coinbeam.sample;

import java.util.ArrayList;
import java.util.List;

/**
 * One object of a REST envelope's {@code data[]}: keys in the order CoinCap sends them, each with
 * its value already as JSON text. A list rather than a map so that key order, and so the bytes,
 * never depend on hashing.
 */
final class JsonRow {
  private final List<String> keys = new ArrayList<>();
  private final List<String> values = new ArrayList<>();

  /** Adds a key whose value is raw JSON ({@code "\"1\""}, {@code "null"}, {@code "true"}). */
  JsonRow raw(String key, String json) {
    keys.add(key);
    values.add(json);
    return this;
  }

  /** Adds a text value. */
  JsonRow text(String key, String text) {
    return raw(key, text == null ? "null" : JsonText.quote(text));
  }

  /** Replaces the value of an existing key. */
  void replace(String key, String json) {
    int i = keys.indexOf(key);
    if (i < 0) {
      throw new IllegalArgumentException("no key " + key);
    }
    values.set(i, json);
  }

  /** Compact JSON, as the API sends it: {@code {"id":"bitcoin","rank":"1"}}. */
  void appendCompact(StringBuilder out) {
    out.append('{');
    for (int i = 0; i < keys.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      out.append(JsonText.quote(keys.get(i))).append(':').append(values.get(i));
    }
    out.append('}');
  }

  /** Pretty JSON with two-space indentation, starting at {@code indent}. */
  void appendPretty(StringBuilder out, String indent) {
    out.append(indent).append("{\n");
    for (int i = 0; i < keys.size(); i++) {
      out.append(indent)
          .append("  ")
          .append(JsonText.quote(keys.get(i)))
          .append(": ")
          .append(values.get(i))
          .append(i + 1 < keys.size() ? ",\n" : "\n");
    }
    out.append(indent).append('}');
  }

  /** A whole envelope on one line (NDJSON), without the newline. */
  static String compactEnvelope(List<JsonRow> rows, long timestampMillis) {
    StringBuilder out = new StringBuilder(256 * rows.size() + 32).append("{\"data\":[");
    for (int i = 0; i < rows.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      rows.get(i).appendCompact(out);
    }
    return out.append("],\"timestamp\":").append(timestampMillis).append('}').toString();
  }

  /** A whole envelope as a pretty document, with a final newline. */
  static String prettyEnvelope(List<JsonRow> rows, long timestampMillis) {
    StringBuilder out = new StringBuilder(320 * rows.size() + 32).append("{\n  \"data\": [\n");
    for (int i = 0; i < rows.size(); i++) {
      rows.get(i).appendPretty(out, "    ");
      out.append(i + 1 < rows.size() ? ",\n" : "\n");
    }
    return out.append("  ],\n  \"timestamp\": ").append(timestampMillis).append("\n}\n").toString();
  }
}
