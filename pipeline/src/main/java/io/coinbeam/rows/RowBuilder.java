package io.coinbeam.rows;

import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.values.Row;
import org.joda.time.ReadableInstant;

/**
 * Builds one row of a schema field by field, by name. Beam's own by-name builder ({@code
 * Row.withFieldValue}) parses each name as a field-access expression on every call, and its checked
 * {@code build} matches every value through field-access descriptors too; for the output rows of a
 * run (one per candle, one per dead letter) each cost several percent of a Flink run. Here a name
 * is one map look-up, and {@link #build} checks each value's nullability and Java type against its
 * field directly before attaching the values.
 */
public final class RowBuilder {
  private final Schema schema;
  private final Object[] values;

  private RowBuilder(Schema schema) {
    this.schema = schema;
    this.values = new Object[schema.getFieldCount()];
  }

  /** An empty row of {@code schema}: fields not set are null. */
  public static RowBuilder of(Schema schema) {
    return new RowBuilder(schema);
  }

  /**
   * Sets field {@code name}.
   *
   * @throws IllegalArgumentException when the schema has no such field
   */
  public RowBuilder set(String name, Object value) {
    values[schema.indexOf(name)] = value;
    return this;
  }

  /**
   * The row.
   *
   * @throws IllegalArgumentException when a required field is null or a value is not of its field's
   *     type (the types coinbeam's schemas use: strings, 64-bit integers, doubles, booleans,
   *     instants)
   */
  public Row build() {
    for (int i = 0; i < values.length; i++) {
      Schema.Field field = schema.getField(i);
      Object value = values[i];
      if (value == null) {
        if (!field.getType().getNullable()) {
          throw new IllegalArgumentException("field " + field.getName() + " must not be null");
        }
      } else if (!expected(field.getType().getTypeName()).isInstance(value)) {
        throw new IllegalArgumentException(
            "field "
                + field.getName()
                + " is "
                + field.getType().getTypeName()
                + ", got a "
                + value.getClass().getName());
      }
    }
    return Row.withSchema(schema).attachValues(values);
  }

  private static Class<?> expected(Schema.TypeName type) {
    return switch (type) {
      case STRING -> String.class;
      case INT64 -> Long.class;
      case DOUBLE -> Double.class;
      case BOOLEAN -> Boolean.class;
      case DATETIME -> ReadableInstant.class;
      default -> Object.class;
    };
  }
}
