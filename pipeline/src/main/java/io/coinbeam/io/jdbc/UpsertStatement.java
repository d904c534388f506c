package io.coinbeam.io.jdbc;

import io.coinbeam.schema.Column;
import io.coinbeam.schema.TableDefinition;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The one statement the PostgreSQL sink runs per row: an idempotent upsert on the table's key,
 * built from its {@link TableDefinition} (identifiers come from the schema files, never from input;
 * values are bind parameters).
 *
 * <p>An existing row changes only when something in it differs (so re-running a batch leaves the
 * table, {@code written_at} included, exactly as it was) and, for the aggregate tables, only when
 * the incoming pane is not older than the stored one: a streaming pane with a lower {@code
 * pane_index} that arrives late loses. A batch row ({@code pane_index} null) is complete and always
 * wins; a streaming pane never replaces it.
 */
public final class UpsertStatement {
  static final String PANE_INDEX = "pane_index";

  private UpsertStatement() {}

  public static String sql(TableDefinition table) {
    List<String> columns = table.columns().stream().map(Column::name).toList();
    String names = columns.stream().map(UpsertStatement::quote).collect(Collectors.joining(", "));
    String params = columns.stream().map(c -> "?").collect(Collectors.joining(", "));
    String key = table.key().stream().map(UpsertStatement::quote).collect(Collectors.joining(", "));
    List<String> values = columns.stream().filter(c -> !table.key().contains(c)).toList();
    String updates =
        values.stream()
            .map(c -> quote(c) + " = EXCLUDED." + quote(c))
            .collect(Collectors.joining(", "));
    String stored = values.stream().map(c -> "t." + quote(c)).collect(Collectors.joining(", "));
    String incoming =
        values.stream().map(c -> "EXCLUDED." + quote(c)).collect(Collectors.joining(", "));
    StringBuilder sql =
        new StringBuilder()
            .append("INSERT INTO ")
            .append(quote(table.name()))
            .append(" AS t (")
            .append(names)
            .append(") VALUES (")
            .append(params)
            .append(") ON CONFLICT (")
            .append(key)
            .append(") DO UPDATE SET ")
            .append(updates)
            .append(", \"written_at\" = now() WHERE (")
            .append(stored)
            .append(") IS DISTINCT FROM (")
            .append(incoming)
            .append(")");
    if (columns.contains(PANE_INDEX)) {
      String pane = quote(PANE_INDEX);
      sql.append(" AND (EXCLUDED.")
          .append(pane)
          .append(" IS NULL OR (t.")
          .append(pane)
          .append(" IS NOT NULL AND EXCLUDED.")
          .append(pane)
          .append(" >= t.")
          .append(pane)
          .append("))");
    }
    return sql.toString();
  }

  /** A schema-file identifier, double-quoted; they are plain snake_case names, checked here. */
  static String quote(String identifier) {
    if (!identifier.matches("[a-z_][a-z0-9_]*")) {
      throw new IllegalArgumentException("not a plain SQL identifier: " + identifier);
    }
    return '"' + identifier + '"';
  }
}
