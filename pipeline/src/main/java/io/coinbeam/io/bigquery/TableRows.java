package io.coinbeam.io.bigquery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.api.services.bigquery.model.TableRow;
import io.coinbeam.schema.Column;
import io.coinbeam.schema.TableDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.values.Row;
import org.joda.time.DateTimeZone;
import org.joda.time.ReadableInstant;
import org.joda.time.format.DateTimeFormat;
import org.joda.time.format.DateTimeFormatter;

/**
 * Turns a table's Beam {@link Row} into the {@link TableRow} BigQueryIO writes, checking it against
 * the table's columns first. A row BigQuery would refuse is better caught here, one row at a time:
 * in a file load a single bad row fails the whole load job, and so the whole run.
 */
public final class TableRows {
  /** BigQuery's canonical timestamp text, as Beam's own BigQueryUtils writes it. */
  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormat.forPattern("yyyy-MM-dd HH:mm:ss.SSS 'UTC'").withZone(DateTimeZone.UTC);

  // BigQuery TIMESTAMP range: 0001-01-01 00:00:00 to 9999-12-31 23:59:59.999999 UTC.
  private static final long MIN_TIMESTAMP_MILLIS = -62135596800000L;
  private static final long MAX_TIMESTAMP_MILLIS = 253402300799999L;

  private static final ObjectMapper JSON = new ObjectMapper();

  private TableRows() {}

  /** Why a row cannot go to BigQuery; the message lists every column at fault. */
  public static final class RejectedRowException extends Exception {
    private static final long serialVersionUID = 1L;
    private final TableRow partial;

    RejectedRowException(String message, TableRow partial) {
      super(message);
      this.partial = partial;
    }

    /** The columns as far as they could be converted, for the dead letter's payload. */
    public TableRow partial() {
      return partial;
    }
  }

  /**
   * The row as BigQuery takes it: STRING as text, INTEGER as long, FLOAT as double, BOOLEAN, and
   * TIMESTAMP as {@code yyyy-MM-dd HH:mm:ss.SSS UTC}. Null columns are left out (BigQuery reads a
   * missing column as NULL).
   *
   * @throws RejectedRowException when a REQUIRED column is null, a number is not finite, a
   *     timestamp is out of BigQuery's range, or the row has a column the table lacks
   */
  public static TableRow toTableRow(Row row, TableDefinition table) throws RejectedRowException {
    Schema schema = row.getSchema();
    TableRow out = new TableRow();
    List<String> problems = new ArrayList<>();
    for (Column column : table.columns()) {
      Object value = schema.hasField(column.name()) ? row.getValue(column.name()) : null;
      if (value == null) {
        if (!column.nullable()) {
          problems.add(column.name() + " is REQUIRED but has no value");
        }
        continue;
      }
      try {
        out.set(column.name(), convert(column, value));
      } catch (IllegalArgumentException e) {
        out.set(column.name(), String.valueOf(value));
        problems.add(e.getMessage());
      }
    }
    for (Schema.Field field : schema.getFields()) {
      if (table.columns().stream().noneMatch(c -> c.name().equals(field.getName()))) {
        out.set(field.getName(), String.valueOf(row.getValue(field.getName())));
        problems.add(field.getName() + " is not a column of " + table.name());
      }
    }
    if (!problems.isEmpty()) {
      throw new RejectedRowException(
          table.name() + " row not written to BigQuery: " + String.join("; ", problems), out);
    }
    return out;
  }

  private static Object convert(Column column, Object value) {
    String name = column.name();
    switch (column.type()) {
      case STRING:
        return value.toString();
      case INTEGER:
        if (!(value instanceof Number)) {
          throw new IllegalArgumentException(name + " is INTEGER but holds " + describe(value));
        }
        return ((Number) value).longValue();
      case FLOAT:
        if (!(value instanceof Number)) {
          throw new IllegalArgumentException(name + " is FLOAT but holds " + describe(value));
        }
        double d = ((Number) value).doubleValue();
        if (!Double.isFinite(d)) {
          // JSON (the load format) has no NaN or infinity; say so instead of failing the load.
          throw new IllegalArgumentException(name + " is " + d + ", not a finite number");
        }
        return d;
      case BOOLEAN:
        if (!(value instanceof Boolean)) {
          throw new IllegalArgumentException(name + " is BOOLEAN but holds " + describe(value));
        }
        return value;
      case TIMESTAMP:
        if (!(value instanceof ReadableInstant)) {
          throw new IllegalArgumentException(name + " is TIMESTAMP but holds " + describe(value));
        }
        long millis = ((ReadableInstant) value).getMillis();
        if (millis < MIN_TIMESTAMP_MILLIS || millis > MAX_TIMESTAMP_MILLIS) {
          throw new IllegalArgumentException(
              name + " = " + millis + " ms is outside BigQuery's years 1..9999");
        }
        return TIMESTAMP.print(millis);
      default:
        throw new IllegalArgumentException(name + " has type " + column.type());
    }
  }

  private static String describe(Object value) {
    return value.getClass().getSimpleName() + " " + value;
  }

  /** A TableRow as one line of JSON, for a dead letter's payload. */
  public static String toJson(Map<String, Object> row) {
    try {
      return JSON.writeValueAsString(row);
    } catch (JsonProcessingException e) {
      return String.valueOf(row);
    }
  }
}
