package io.coinbeam.report;

import org.apache.avro.generic.GenericRecord;

/**
 * One Parquet row with typed getters by column name. Avro hands strings back as {@code Utf8},
 * timestamps as epoch milliseconds and nullable columns as null; this hides those details.
 */
record StoredRow(GenericRecord record) {

  /** The column's value as Java sees it (String, Long, Double, Boolean) or null. */
  Object get(String column) {
    if (record.getSchema().getField(column) == null) {
      return null;
    }
    Object value = record.get(column);
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
