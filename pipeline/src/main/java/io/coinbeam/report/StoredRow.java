package io.coinbeam.report;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;

/**
 * One Parquet row with typed getters by column name. Avro hands strings back as {@code Utf8},
 * timestamps as epoch milliseconds and nullable columns as null; this hides those details.
 */
record StoredRow(GenericRecord record) {

  /** The column's value as Java sees it (String, Long, Double, Boolean) or null. */
  Object get(String column) {
    // One look-up of the column, not two (record.get(name) looks the name up again): the report
    // reads a few columns of every row of tables of hundreds of thousands of rows.
    Schema.Field field = record.getSchema().getField(column);
    if (field == null) {
      return null;
    }
    Object value = record.get(field.pos());
    return value instanceof CharSequence text ? text.toString() : value;
  }

  String text(String column) {
    Object value = get(column);
    return value == null ? null : value.toString();
  }

  /** A FLOAT or INTEGER column as a double; NaN when null. */
  double number(String column) {
    return get(column) instanceof Number n ? n.doubleValue() : Double.NaN;
  }

  /** A TIMESTAMP column in epoch milliseconds, or null. */
  Long millis(String column) {
    return get(column) instanceof Number n ? n.longValue() : null;
  }
}
