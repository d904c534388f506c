package io.coinbeam.io.jdbc;

import io.coinbeam.schema.Column;
import io.coinbeam.schema.ColumnType;
import io.coinbeam.schema.TableDefinition;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Compares the database's tables with the schema files, the one schema source: every column with
 * its PostgreSQL type and nullability, and the primary key. The migrations are written by hand;
 * this is what keeps them honest, before every run that writes to PostgreSQL and in the tests.
 */
public final class PostgresSchemaCheck {
  /** Columns PostgreSQL keeps for itself, which the schema files do not list. */
  static final List<String> DATABASE_ONLY_COLUMNS = List.of("written_at");

  private PostgresSchemaCheck() {}

  /** The PostgreSQL type that holds a schema-file type, as information_schema names it. */
  public static String postgresType(ColumnType type) {
    return switch (type) {
      case STRING -> "text";
      case INTEGER -> "bigint";
      case FLOAT -> "numeric";
      case BOOLEAN -> "boolean";
      case TIMESTAMP -> "timestamp with time zone";
    };
  }

  /** Every difference between the database and the schema files for these tables; empty if none. */
  public static List<String> problems(Connection connection, List<TableDefinition> tables)
      throws SQLException {
    List<String> problems = new ArrayList<>();
    for (TableDefinition table : tables) {
      Map<String, String[]> actual = columns(connection, table.name());
      if (actual.isEmpty()) {
        problems.add(table.name() + ": table missing");
        continue;
      }
      for (Column column : table.columns()) {
        String[] found = actual.remove(column.name());
        String wanted = postgresType(column.type());
        if (found == null) {
          problems.add(table.name() + "." + column.name() + ": column missing (" + wanted + ")");
          continue;
        }
        if (!found[0].equals(wanted)) {
          problems.add(
              table.name() + "." + column.name() + ": is " + found[0] + ", should be " + wanted);
        }
        boolean nullable = "YES".equals(found[1]);
        if (nullable != column.nullable()) {
          problems.add(
              table.name()
                  + "."
                  + column.name()
                  + (column.nullable()
                      ? ": is NOT NULL, should allow null"
                      : ": should be NOT NULL"));
        }
      }
      DATABASE_ONLY_COLUMNS.forEach(actual::remove);
      actual
          .keySet()
          .forEach(extra -> problems.add(table.name() + "." + extra + ": not in the schema files"));
      List<String> key = primaryKey(connection, table.name());
      if (!key.equals(table.key())) {
        problems.add(table.name() + ": primary key is " + key + ", should be " + table.key());
      }
    }
    return problems;
  }

  private static Map<String, String[]> columns(Connection connection, String table)
      throws SQLException {
    Map<String, String[]> columns = new LinkedHashMap<>();
    try (PreparedStatement query =
        connection.prepareStatement(
            "SELECT column_name, data_type, is_nullable FROM information_schema.columns"
                + " WHERE table_schema = current_schema() AND table_name = ?"
                + " ORDER BY ordinal_position")) {
      query.setString(1, table);
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          columns.put(rows.getString(1), new String[] {rows.getString(2), rows.getString(3)});
        }
      }
    }
    return columns;
  }

  private static List<String> primaryKey(Connection connection, String table) throws SQLException {
    List<String> key = new ArrayList<>();
    try (PreparedStatement query =
        connection.prepareStatement(
            "SELECT a.attname FROM pg_index i"
                + " JOIN pg_class c ON c.oid = i.indrelid"
                + " JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, position) ON true"
                + " JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum"
                + " WHERE i.indisprimary AND c.relname = ? AND n.nspname = current_schema()"
                + " ORDER BY k.position")) {
      query.setString(1, table);
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          key.add(rows.getString(1));
        }
      }
    }
    return key;
  }
}
