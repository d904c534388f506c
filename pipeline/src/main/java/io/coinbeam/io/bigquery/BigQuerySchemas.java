package io.coinbeam.io.bigquery;

import com.google.api.services.bigquery.model.Clustering;
import com.google.api.services.bigquery.model.TableFieldSchema;
import com.google.api.services.bigquery.model.TableSchema;
import com.google.api.services.bigquery.model.TimePartitioning;
import io.coinbeam.schema.Column;
import io.coinbeam.schema.TableDefinition;
import java.util.ArrayList;
import java.util.List;

/**
 * The BigQuery shape of a table, derived from its {@link TableDefinition} (that is, from {@code
 * schemas/<table>.json}, the file Terraform also reads): column types, modes and descriptions, day
 * partitions on the partition column and clustering on the key columns. The sink hands these to
 * BigQueryIO, so tables it creates (CREATE_IF_NEEDED) look exactly like Terraform's.
 */
public final class BigQuerySchemas {
  /** Partition granularity: one partition per day keeps scans of a few days small and cheap. */
  public static final String PARTITION_TYPE = "DAY";

  private BigQuerySchemas() {}

  public static TableSchema tableSchema(TableDefinition table) {
    List<TableFieldSchema> fields = new ArrayList<>();
    for (Column column : table.columns()) {
      TableFieldSchema field =
          new TableFieldSchema()
              .setName(column.name())
              .setType(column.type().name())
              .setMode(mode(column));
      if (!column.description().isEmpty()) {
        field.setDescription(column.description());
      }
      fields.add(field);
    }
    return new TableSchema().setFields(fields);
  }

  /** {@code REQUIRED} or {@code NULLABLE}, as the schema file and BigQuery spell it. */
  public static String mode(Column column) {
    return column.nullable() ? "NULLABLE" : "REQUIRED";
  }

  public static TimePartitioning timePartitioning(TableDefinition table) {
    return new TimePartitioning().setType(PARTITION_TYPE).setField(table.partitionColumn());
  }

  public static Clustering clustering(TableDefinition table) {
    return new Clustering().setFields(new ArrayList<>(table.clusteringColumns()));
  }
}
