package io.coinbeam.rows;

import io.coinbeam.schema.Column;
import io.coinbeam.schema.ColumnType;
import io.coinbeam.schema.TableDefinition;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.beam.sdk.extensions.avro.schemas.utils.AvroUtils;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.Schema.FieldType;

/**
 * The Beam schema of each table's rows, derived from its {@link TableDefinition}. The definitions
 * live in the Beam-free core (the ingester and the report read them too); the pipeline's rows, its
 * Parquet files and its BigQuery and PostgreSQL writes all take their shape from here.
 */
public final class BeamSchemas {
  private static final Map<String, Schema> CACHE = new ConcurrentHashMap<>();

  private BeamSchemas() {}

  /** The schema of {@code table}'s rows: one field per column, in file order. */
  public static Schema of(TableDefinition table) {
    return CACHE.computeIfAbsent(table.name(), name -> build(table));
  }

  /**
   * The Avro schema of {@code table}'s Parquet files: the records the sink writes, and what the
   * report reads back.
   */
  public static org.apache.avro.Schema avro(TableDefinition table) {
    return AvroUtils.toAvroSchema(of(table), table.name(), "io.coinbeam.tables");
  }

  /** The Beam type that holds a column of {@code type}. */
  public static FieldType fieldType(ColumnType type) {
    return switch (type) {
      case STRING -> FieldType.STRING;
      case INTEGER -> FieldType.INT64;
      case FLOAT -> FieldType.DOUBLE;
      case BOOLEAN -> FieldType.BOOLEAN;
      case TIMESTAMP -> FieldType.DATETIME;
    };
  }

  private static Schema build(TableDefinition table) {
    Schema.Builder builder = Schema.builder();
    for (Column column : table.columns()) {
      builder.addField(
          Schema.Field.of(column.name(), fieldType(column.type()))
              .withNullable(column.nullable())
              .withDescription(column.description()));
    }
    return builder.build();
  }
}
