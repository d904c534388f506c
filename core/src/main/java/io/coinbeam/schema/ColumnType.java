package io.coinbeam.schema;

/**
 * The column types a table schema file may use, named as BigQuery names them (the schema files are
 * BigQuery JSON schemas, so Terraform can read them as they are). Each sink maps them to its own
 * types.
 */
public enum ColumnType {
  STRING,
  INTEGER,
  FLOAT,
  BOOLEAN,
  TIMESTAMP;

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
