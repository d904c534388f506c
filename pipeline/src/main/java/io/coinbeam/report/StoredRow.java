package io.coinbeam.report;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;

/**
 * One Parquet row with typed getters by column name: strings as Java strings, timestamps as epoch
 * milliseconds, nullable columns as null. Only the columns the table was read with are there
 * ({@link StoredTable#read}); asking for another is a mistake in the report, and fails.
 */
record StoredRow(GenericRecord record) {

  /** The column's value as Java sees it (String, Long, Double, Boolean) or null. */
  Object get(String column) {
    // One look-up of the column, not two (record.get(name) looks the name up again): the report
    // reads a few columns of every row of tables of hundreds of thousands of rows.
    Schema.Field field = record.getSchema().getField(column);
    if (field == null) {
      throw new IllegalArgumentException(
          "the report reads "
              + column
              + ", which it did not ask "
              + record.getSchema().getName()
              + " for (ReportPage.columnsRead)");
    }
    return record.get(field.pos());
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
