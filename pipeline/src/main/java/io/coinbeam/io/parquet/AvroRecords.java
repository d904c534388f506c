package io.coinbeam.io.parquet;

import io.coinbeam.rows.BeamSchemas;
import io.coinbeam.schema.Column;
import io.coinbeam.schema.TableDefinition;
import java.io.Serializable;
import java.util.List;
import java.util.function.Function;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.values.Row;
import org.joda.time.ReadableInstant;

/**
 * A table's rows as the Avro records its Parquet files are written from. The conversion of each
 * column is chosen once, from the column's type, instead of per value as Beam's {@code
 * AvroUtils.toGenericRecord} does; for tables of hundreds of thousands of rows that per-value
 * decision was a visible share of a run. The records equal AvroUtils' (see AvroRecordsTest).
 */
public final class AvroRecords implements Serializable {
  private static final long serialVersionUID = 1L;

  private final TableDefinition table;
  private transient Schema avro;
  private transient List<Function<Object, Object>> converters;

  private AvroRecords(TableDefinition table) {
    this.table = table;
  }

  /** The converter of {@code table}'s rows. */
  public static AvroRecords of(TableDefinition table) {
    return new AvroRecords(table);
  }

  /** The Avro schema of the table's Parquet files. */
  public Schema schema() {
    if (avro == null) {
      avro = BeamSchemas.avro(table);
      converters = table.columns().stream().map(AvroRecords::converter).toList();
    }
    return avro;
  }

  /** One row, a row of this table's Beam schema, as an Avro record. */
  public GenericRecord toRecord(Row row) {
    GenericData.Record record = new GenericData.Record(schema());
    for (int i = 0; i < converters.size(); i++) {
      Object value = row.getValue(i);
      record.put(i, value == null ? null : converters.get(i).apply(value));
    }
    return record;
  }

  private static Function<Object, Object> converter(Column column) {
    return switch (column.type()) {
      case TIMESTAMP -> value -> ((ReadableInstant) value).getMillis();
      case STRING, INTEGER, FLOAT, BOOLEAN -> value -> value;
    };
  }
}
