package io.coinbeam.io.jdbc;

import io.coinbeam.schema.Column;
import io.coinbeam.schema.TableDefinition;
import java.io.Serializable;
import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.apache.beam.sdk.values.Row;
import org.joda.time.ReadableInstant;

/**
 * Binds a table row's values to {@link UpsertStatement}'s parameters, in schema order. Doubles go
 * to {@code numeric} columns as their exact shortest decimal form, so a value read back is the very
 * double the pipeline computed; timestamps go as UTC {@code timestamptz}.
 */
public final class RowStatementSetter implements Serializable {
  private static final long serialVersionUID = 1L;

  private final TableDefinition table;

  public RowStatementSetter(TableDefinition table) {
    this.table = table;
  }

  /** Binds {@code row} to {@code statement}'s parameters. */
  public void setParameters(Row row, PreparedStatement statement) throws SQLException {
    int index = 1;
    for (Column column : table.columns()) {
      bind(statement, index++, column, row.getValue(column.name()));
    }
  }

  /**
   * PostgreSQL text cannot hold U+0000, which a broken input line can carry into a dead letter's
   * payload: it is written as the six characters backslash, u, 0, 0, 0, 0 instead.
   */
  static String withoutNul(String text) {
    return text.indexOf('\u0000') < 0 ? text : text.replace("\u0000", "\\u0000");
  }

  static void bind(PreparedStatement statement, int index, Column column, Object value)
      throws SQLException {
    switch (column.type()) {
      case STRING -> {
        if (value == null) {
          statement.setNull(index, Types.VARCHAR);
        } else {
          statement.setString(index, withoutNul((String) value));
        }
      }
      case INTEGER -> {
        if (value == null) {
          statement.setNull(index, Types.BIGINT);
        } else {
          statement.setLong(index, ((Number) value).longValue());
        }
      }
      case FLOAT -> {
        if (value == null) {
          statement.setNull(index, Types.NUMERIC);
        } else {
          double number = ((Number) value).doubleValue();
          if (Double.isFinite(number)) {
            statement.setBigDecimal(index, new BigDecimal(Double.toString(number)));
          } else {
            // numeric has NaN and (since PostgreSQL 14) +-Infinity; the server casts the double.
            statement.setDouble(index, number);
          }
        }
      }
      case BOOLEAN -> {
        if (value == null) {
          statement.setNull(index, Types.BOOLEAN);
        } else {
          statement.setBoolean(index, (Boolean) value);
        }
      }
      case TIMESTAMP -> {
        if (value == null) {
          statement.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
          long millis = ((ReadableInstant) value).getMillis();
          statement.setObject(
              index,
              OffsetDateTime.ofInstant(java.time.Instant.ofEpochMilli(millis), ZoneOffset.UTC));
        }
      }
    }
  }
}
