package io.coinbeam.testing;

import io.coinbeam.schema.Column;
import io.coinbeam.schema.TableDefinition;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a table back from PostgreSQL as plain values (text, long, double, boolean, epoch millis),
 * the same shapes {@code ParquetFiles} rows are compared in, ordered by the table's key.
 */
public final class PostgresTables {
  private PostgresTables() {}

  /** Every row, schema columns only, keyed by column name. */
  public static List<Map<String, Object>> read(Connection connection, TableDefinition table)
      throws SQLException {
    return read(connection, table, List.of());
  }

  /** Every row, with {@code extra} database-only columns (e.g. written_at, xmin) appended. */
  public static List<Map<String, Object>> read(
      Connection connection, TableDefinition table, List<String> extra) throws SQLException {
    List<String> columns = new ArrayList<>();
    table.columns().forEach(c -> columns.add(c.name()));
    columns.addAll(extra);
    String sql =
        "SELECT "
            + String.join(
                ", ", columns.stream().map(c -> c.equals("xmin") ? "xmin::text" : c).toList())
            + " FROM "
            + table.name()
            + " ORDER BY "
            + String.join(", ", table.key());
    List<Map<String, Object>> rows = new ArrayList<>();
    try (Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery(sql)) {
      while (result.next()) {
        Map<String, Object> row = new LinkedHashMap<>();
        int index = 1;
        for (Column column : table.columns()) {
          row.put(column.name(), value(result, index++, column));
        }
        for (String name : extra) {
          Object value = result.getObject(index++);
          row.put(name, value instanceof java.sql.Timestamp ts ? ts.toInstant() : value);
        }
        rows.add(row);
      }
    }
    return rows;
  }

  /** The rows in key order, compared in Java (not in the database's collation). */
  public static List<Map<String, Object>> sortedByKey(
      List<Map<String, Object>> rows, TableDefinition table) {
    List<Map<String, Object>> sorted = new ArrayList<>(rows);
    sorted.sort(
        (a, b) -> {
          for (String column : table.key()) {
            int order = String.valueOf(a.get(column)).compareTo(String.valueOf(b.get(column)));
            if (order != 0) {
              return order;
            }
          }
          return 0;
        });
    return sorted;
  }

  private static Object value(ResultSet result, int index, Column column) throws SQLException {
    Object raw;
    switch (column.type()) {
      case FLOAT -> {
        BigDecimal number = result.getBigDecimal(index);
        raw = number == null ? null : number.doubleValue();
      }
      case INTEGER -> {
        long number = result.getLong(index);
        raw = result.wasNull() ? null : number;
      }
      case TIMESTAMP -> {
        OffsetDateTime time = result.getObject(index, OffsetDateTime.class);
        raw = time == null ? null : time.toInstant().toEpochMilli();
      }
      case BOOLEAN -> {
        boolean flag = result.getBoolean(index);
        raw = result.wasNull() ? null : flag;
      }
      default -> raw = result.getString(index);
    }
    return raw;
  }
}
