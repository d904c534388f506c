package io.coinbeam.io.bigquery;

import com.google.auth.oauth2.GoogleCredentials;
import com.google.cloud.bigquery.BigQuery;
import com.google.cloud.bigquery.BigQueryException;
import com.google.cloud.bigquery.DatasetId;
import com.google.cloud.bigquery.Field;
import com.google.cloud.bigquery.StandardTableDefinition;
import com.google.cloud.bigquery.Table;
import com.google.cloud.bigquery.TableId;
import com.google.cloud.http.HttpTransportOptions;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@link BigQueryCatalog} over the google-cloud-bigquery client. Credentials are Application
 * Default Credentials only ({@code gcloud auth application-default login}, or a key file named by
 * {@code GOOGLE_APPLICATION_CREDENTIALS}, or the VM's service account): nothing in the repository.
 */
public final class CloudBigQueryCatalog implements BigQueryCatalog {
  private static final int CONNECT_TIMEOUT_MS = 10_000;
  private static final int READ_TIMEOUT_MS = 30_000;

  private final BigQuery bigQuery;

  private CloudBigQueryCatalog(BigQuery bigQuery) {
    this.bigQuery = bigQuery;
  }

  /**
   * A catalog that asks BigQuery as the caller's Application Default Credentials.
   *
   * @throws CatalogException when there are no credentials, with the command that makes them
   */
  public static CloudBigQueryCatalog connect(String project) throws CatalogException {
    GoogleCredentials credentials;
    try {
      credentials = GoogleCredentials.getApplicationDefault();
    } catch (IOException e) {
      throw new CatalogException(
          "no Google credentials: run `gcloud auth application-default login`, or set"
              + " GOOGLE_APPLICATION_CREDENTIALS to a service-account key file kept outside the"
              + " repository ("
              + e.getMessage()
              + ")",
          e);
    }
    BigQuery bigQuery =
        com.google.cloud.bigquery.BigQueryOptions.newBuilder()
            .setProjectId(project)
            .setCredentials(credentials)
            .setTransportOptions(
                HttpTransportOptions.newBuilder()
                    .setConnectTimeout(CONNECT_TIMEOUT_MS)
                    .setReadTimeout(READ_TIMEOUT_MS)
                    .build())
            .build()
            .getService();
    return new CloudBigQueryCatalog(bigQuery);
  }

  @Override
  public boolean datasetExists(String project, String dataset) throws CatalogException {
    try {
      return bigQuery.getDataset(DatasetId.of(project, dataset)) != null;
    } catch (BigQueryException e) {
      throw explain(e, "dataset " + project + "." + dataset);
    }
  }

  @Override
  public Optional<CatalogTable> table(String project, String dataset, String table)
      throws CatalogException {
    Table found;
    try {
      found = bigQuery.getTable(TableId.of(project, dataset, table));
    } catch (BigQueryException e) {
      throw explain(e, "table " + project + "." + dataset + "." + table);
    }
    if (found == null) {
      return Optional.empty();
    }
    if (!(found.getDefinition() instanceof StandardTableDefinition definition)) {
      // A view or external table of that name: report it with no columns, so every column shows
      // up as missing and the message says what is there instead.
      return Optional.of(new CatalogTable(List.of(), null, null, List.of()));
    }
    List<CatalogColumn> columns = new ArrayList<>();
    if (definition.getSchema() != null) {
      for (Field field : definition.getSchema().getFields()) {
        columns.add(
            new CatalogColumn(
                field.getName(),
                field.getType().name(),
                field.getMode() == null ? "NULLABLE" : field.getMode().name()));
      }
    }
    String partitionField = null;
    String partitionType = null;
    if (definition.getTimePartitioning() != null) {
      partitionField = definition.getTimePartitioning().getField();
      partitionType = definition.getTimePartitioning().getType().name();
    }
    List<String> clustering =
        definition.getClustering() == null || definition.getClustering().getFields() == null
            ? List.of()
            : List.copyOf(definition.getClustering().getFields());
    return Optional.of(new CatalogTable(columns, partitionField, partitionType, clustering));
  }

  private static CatalogException explain(BigQueryException e, String what) {
    if (e.getCode() == 401 || e.getCode() == 403) {
      return new CatalogException(
          "BigQuery refused to show "
              + what
              + " (HTTP "
              + e.getCode()
              + ": "
              + e.getMessage()
              + "). The credentials in use need roles/bigquery.dataEditor on the dataset and"
              + " roles/bigquery.jobUser on the project (docs/BIGQUERY.md, Roles)",
          e);
    }
    return new CatalogException("cannot read " + what + " from BigQuery: " + e.getMessage(), e);
  }
}
