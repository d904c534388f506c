package io.coinbeam.schema;

import org.apache.beam.sdk.schemas.Schema.FieldType;

/**
 * The column types a table schema file may use, named as BigQuery names them (the schema files are
 * BigQuery JSON schemas, so Terraform can read them as they are), with their Beam equivalents.
 */
public enum ColumnType {
  STRING(FieldType.STRING),
  INTEGER(FieldType.INT64),
  FLOAT(FieldType.DOUBLE),
  BOOLEAN(FieldType.BOOLEAN),
  TIMESTAMP(FieldType.DATETIME);

  private final FieldType beamType;

  ColumnType(FieldType beamType) {
    this.beamType = beamType;
  }

  public FieldType beamType() {
    return beamType;
  }

  /**
   * The column type for a BigQuery type name, legacy ({@code INTEGER}, {@code FLOAT}) or standard
   * SQL ({@code INT64}, {@code FLOAT64}); BigQuery's API answers with the legacy names.
   */
  public static ColumnType parse(String bigQueryType) {
    switch (bigQueryType) {
      case "INT64":
        return INTEGER;
      case "FLOAT64":
        return FLOAT;
      case "BOOL":
        return BOOLEAN;
      default:
        return valueOf(bigQueryType);
    }
  }
}
