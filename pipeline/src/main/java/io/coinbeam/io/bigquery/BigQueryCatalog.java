package io.coinbeam.io.bigquery;

import java.util.List;
import java.util.Optional;

/**
 * The few lookups the preflight needs from BigQuery: does a dataset exist, and what does a table
 * look like. An interface so the preflight's logic is tested against a fake, without GCP; {@link
 * CloudBigQueryCatalog} is the real one.
 */
public interface BigQueryCatalog {
  boolean datasetExists(String project, String dataset) throws CatalogException;

  /** The table's columns, partitioning and clustering; empty when there is no such table. */
  Optional<CatalogTable> table(String project, String dataset, String table)
      throws CatalogException;

  /** Makes the catalog for a project; the pipeline's default connects to BigQuery. */
  @FunctionalInterface
  interface Factory {
    BigQueryCatalog connect(String project) throws CatalogException;
  }

  /**
   * A column as BigQuery reports it: type in BigQuery's legacy names (STRING, INTEGER, FLOAT, ...),
   * mode NULLABLE, REQUIRED or REPEATED.
   */
  record CatalogColumn(String name, String type, String mode) {}

  /**
   * A table as BigQuery reports it.
   *
   * @param partitionField the time-partitioning column, or null (not partitioned, or by ingestion)
   * @param partitionType DAY, HOUR, MONTH or YEAR, or null
   */
  record CatalogTable(
      List<CatalogColumn> columns,
      String partitionField,
      String partitionType,
      List<String> clustering) {}

  /** BigQuery could not be asked: no credentials, no permission, no network. Says what to do. */
  final class CatalogException extends Exception {
    private static final long serialVersionUID = 1L;

    public CatalogException(String message) {
      super(message);
    }

    public CatalogException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
