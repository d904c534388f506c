package io.coinbeam.io.parquet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.coinbeam.rows.BeamSchemas;
import io.coinbeam.schema.Column;
import io.coinbeam.schema.TableDefinition;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.extensions.avro.schemas.utils.AvroUtils;
import org.apache.beam.sdk.values.Row;
import org.joda.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The fast conversion gives the records Beam's AvroUtils gives, for every table and type. */
class AvroRecordsTest {
  static List<String> tables() {
    return TableDefinition.allNames();
  }

  @ParameterizedTest
  @MethodSource("tables")
  void everyColumnConvertsAsAvroUtilsConvertsIt(String name) {
    TableDefinition table = TableDefinition.named(name);
    Schema avro = BeamSchemas.avro(table);
    AvroRecords records = AvroRecords.of(table);
    for (boolean withNulls : new boolean[] {false, true}) {
      List<Object> values = new ArrayList<>();
      int i = 0;
      for (Column column : table.columns()) {
        i++;
        values.add(withNulls && column.nullable() ? null : sample(column, i));
      }
      Row row = Row.withSchema(BeamSchemas.of(table)).addValues(values).build();
      GenericRecord expected = AvroUtils.toGenericRecord(row, avro);
      GenericRecord actual = records.toRecord(row);
      assertEquals(expected.toString(), actual.toString(), name);
      for (int f = 0; f < values.size(); f++) {
        Object e = expected.get(f);
        Object a = actual.get(f);
        assertEquals(e == null ? null : e.toString(), a == null ? null : a.toString(), name);
      }
    }
  }

  private static Object sample(Column column, int i) {
    return switch (column.type()) {
      case STRING -> "text-" + i;
      case INTEGER -> 1_000_000_000_000L + i;
      case FLOAT -> i + 0.125;
      case BOOLEAN -> i % 2 == 0;
      case TIMESTAMP -> new Instant(1_715_083_200_000L + i);
    };
  }
}
