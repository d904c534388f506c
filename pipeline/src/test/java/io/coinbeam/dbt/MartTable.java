package io.coinbeam.dbt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.MathContext;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One table's rows by key, with values made comparable across databases: every number a BigDecimal,
 * every timestamp an Instant. It exists so that marts built by dbt on PostgreSQL, on DuckDB, and
 * rows computed in a test can be compared value by value, numbers within a relative tolerance where
 * one side rounds (PostgreSQL numeric is exact, DuckDB doubles are not).
 */
record MartTable(String name, List<String> columns, Map<String, List<Object>> rows) {
  /** Relative difference two numbers may have and still be equal: doubles carry ~16 digits. */
  static final BigDecimal TOLERANCE = new BigDecimal("1e-9");

  /** Every row of schema.table in PostgreSQL, keyed by the value of column key. */
  static MartTable fromPostgres(Connection connection, String schema, String table, String key)
      throws SQLException {
    try (Statement statement = connection.createStatement();
        // The schema and table names are the test's own constants.
        ResultSet rows = statement.executeQuery("SELECT * FROM " + schema + "." + table)) {
      ResultSetMetaData meta = rows.getMetaData();
      List<String> columns = new ArrayList<>();
      for (int i = 1; i <= meta.getColumnCount(); i++) {
        columns.add(meta.getColumnName(i));
      }
      Map<String, List<Object>> byKey = new TreeMap<>();
      while (rows.next()) {
        List<Object> values = new ArrayList<>();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
          values.add(postgresValue(rows, i, meta.getColumnType(i)));
        }
        put(table, byKey, String.valueOf(values.get(columns.indexOf(key))), values);
      }
      return new MartTable(table, columns, byKey);
    }
  }

  private static Object postgresValue(ResultSet rows, int i, int type) throws SQLException {
    return switch (type) {
      case Types.NUMERIC,
              Types.DECIMAL,
              Types.DOUBLE,
              Types.REAL,
              Types.FLOAT,
              Types.BIGINT,
              Types.INTEGER,
              Types.SMALLINT ->
          rows.getBigDecimal(i);
      case Types.TIMESTAMP, Types.TIMESTAMP_WITH_TIMEZONE -> {
        OffsetDateTime time = rows.getObject(i, OffsetDateTime.class);
        yield time == null ? null : time.toInstant();
      }
      case Types.BOOLEAN, Types.BIT -> rows.getObject(i) == null ? null : rows.getBoolean(i);
      default -> rows.getString(i);
    };
  }

  /**
   * A table as duckdb_marts.py printed it, keyed by column key; like names the types of the
   * PostgreSQL twin, so that a timestamp's text becomes an Instant.
   */
  static MartTable fromDuckDb(JsonNode printed, MartTable like, String key) {
    List<String> columns = new ArrayList<>();
    printed.path("columns").forEach(c -> columns.add(c.asText()));
    Map<String, List<Object>> byKey = new TreeMap<>();
    for (JsonNode row : printed.path("rows")) {
      List<Object> values = new ArrayList<>();
      for (int i = 0; i < columns.size(); i++) {
        JsonNode v = row.get(i);
        Object typeOf = like.sampleValue(columns.get(i));
        if (v.isNull()) {
          values.add(null);
        } else if (v.isNumber()) {
          values.add(v.decimalValue());
        } else if (v.isBoolean()) {
          values.add(v.asBoolean());
        } else if (typeOf instanceof Instant) {
          values.add(OffsetDateTime.parse(v.asText()).toInstant());
        } else {
          values.add(v.asText());
        }
      }
      put(like.name(), byKey, String.valueOf(values.get(columns.indexOf(key))), values);
    }
    return new MartTable(like.name(), columns, byKey);
  }

  private static void put(
      String table, Map<String, List<Object>> byKey, String key, List<Object> values) {
    if (byKey.put(key, values) != null) {
      fail(table + ": two rows have the key " + key);
    }
  }

  /** Some non-null value of the column, to learn its type; null when the column is all nulls. */
  Object sampleValue(String column) {
    int i = columns.indexOf(column);
    return rows.values().stream()
        .map(r -> r.get(i))
        .filter(v -> v != null)
        .findFirst()
        .orElse(null);
  }

  /** The value of column in the row with this key. */
  Object value(String key, String column) {
    List<Object> row = rows.get(key);
    if (row == null) {
      fail(name + " has no row " + key);
    }
    return row.get(columns.indexOf(column));
  }

  /** Fails unless other has the same columns, keys and values (numbers within TOLERANCE). */
  void assertSameAs(MartTable other) {
    assertEquals(columns, other.columns(), name + ": columns");
    assertEquals(rows.keySet(), other.rows().keySet(), name + ": keys");
    for (Map.Entry<String, List<Object>> row : rows.entrySet()) {
      List<Object> theirs = other.rows().get(row.getKey());
      for (int i = 0; i < columns.size(); i++) {
        assertValue(
            row.getValue().get(i), theirs.get(i), name + " " + row.getKey() + " " + columns.get(i));
      }
    }
  }

  /** expected equals actual; two numbers may differ by TOLERANCE relative to the larger. */
  static void assertValue(Object expected, Object actual, String where) {
    if (expected instanceof BigDecimal e && actual instanceof BigDecimal a) {
      BigDecimal scale = e.abs().max(a.abs()).max(BigDecimal.ONE);
      if (e.subtract(a).abs().compareTo(scale.multiply(TOLERANCE, MathContext.DECIMAL64)) > 0) {
        fail(where + ": expected " + e.toPlainString() + " but was " + a.toPlainString());
      }
      return;
    }
    assertEquals(expected, actual, where);
  }
}
