package io.coinbeam.testing;

import com.google.api.services.bigquery.model.Clustering;
import com.google.api.services.bigquery.model.Table;
import com.google.api.services.bigquery.model.TableFieldSchema;
import com.google.api.services.bigquery.model.TableReference;
import com.google.api.services.bigquery.model.TableRow;
import com.google.api.services.bigquery.model.TableSchema;
import com.google.api.services.bigquery.model.TimePartitioning;
import io.coinbeam.schema.TableDefinition;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Function;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryHelpers;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryIO;
import org.apache.beam.sdk.io.gcp.testing.FakeBigQueryServices;
import org.apache.beam.sdk.io.gcp.testing.FakeDatasetService;
import org.apache.beam.sdk.io.gcp.testing.FakeJobService;

/**
 * BigQuery for tests: Beam's own fakes ({@link FakeDatasetService}, {@link FakeJobService}), which
 * run BigQueryIO's real load-job and Storage Write API code paths in memory. {@link #create} sets
 * up the dataset and, with {@link #createTablesAsTerraformDoes}, the tables, built straight from
 * the schema files the way Terraform builds them, not through the code under test.
 */
public final class FakeBigQuery {
  public static final String PROJECT = "coinbeam-test";
  public static final String DATASET = "coinbeam";

  private final FakeDatasetService datasets = new FakeDatasetService();
  private final FakeJobService jobs = new FakeJobService();
  private final FakeBigQueryServices services =
      new FakeBigQueryServices().withDatasetService(datasets).withJobService(jobs);

  private FakeBigQuery() {}

  /** A fresh fake (the fakes keep their tables in static state) with an empty dataset. */
  public static FakeBigQuery create() {
    FakeDatasetService.setUp();
    FakeJobService.setUp();
    clearBigQueryIoCaches();
    FakeBigQuery fake = new FakeBigQuery();
    try {
      fake.datasets.createDataset(PROJECT, DATASET, "US", "coinbeam tests", null);
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
    return fake;
  }

  /**
   * BigQueryIO remembers, statically, which tables it has created and their schemas; Beam's own
   * tests reset that between tests with this package-private method. Without it a test could skip a
   * table creation that an earlier test's table (now gone with the fake's state) satisfied.
   */
  private static void clearBigQueryIoCaches() {
    try {
      Method clear = BigQueryIO.class.getDeclaredMethod("clearStaticCaches");
      clear.setAccessible(true);
      clear.invoke(null);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot reset BigQueryIO's caches between tests", e);
    }
  }

  public FakeBigQueryServices services() {
    return services;
  }

  public FakeDatasetService datasets() {
    return datasets;
  }

  /** Makes the Storage Write API refuse rows that match, as BigQuery refuses a bad row. */
  public void refuseRows(Function<TableRow, Boolean> refuse) {
    datasets.setShouldFailRow(refuse);
  }

  /** Every table in tables.json, created from its JSON file as Terraform's for_each does. */
  public FakeBigQuery createTablesAsTerraformDoes() {
    for (String name : TableDefinition.allNames()) {
      TableDefinition table = TableDefinition.named(name);
      try {
        datasets.createTable(
            new Table()
                .setTableReference(reference(name))
                .setSchema(schemaFromFile(name))
                .setTimePartitioning(
                    new TimePartitioning().setType("DAY").setField(table.partitionColumn()))
                .setClustering(new Clustering().setFields(table.clusteringColumns())));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return this;
  }

  public static TableReference reference(String table) {
    return new TableReference().setProjectId(PROJECT).setDatasetId(DATASET).setTableId(table);
  }

  public Table table(String name) throws IOException, InterruptedException {
    return datasets.getTable(reference(name));
  }

  public List<TableRow> rows(String table) throws IOException, InterruptedException {
    return datasets.getAllRows(PROJECT, DATASET, table);
  }

  /** The schema file itself, read with BigQuery's own JSON model classes (no coinbeam code). */
  public static TableSchema schemaFromFile(String table) {
    try (InputStream in = FakeBigQuery.class.getResourceAsStream("/schemas/" + table + ".json")) {
      String fields = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      TableSchema schema =
          BigQueryHelpers.fromJsonString("{\"fields\": " + fields + "}", TableSchema.class);
      // The JSON parser yields its own subclasses; plain copies compare equal to built schemas.
      return new TableSchema()
          .setFields(schema.getFields().stream().map(FakeBigQuery::plain).toList());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static TableFieldSchema plain(TableFieldSchema field) {
    TableFieldSchema copy =
        new TableFieldSchema().setName(field.getName()).setType(field.getType());
    if (field.getMode() != null) {
      copy.setMode(field.getMode());
    }
    if (field.getDescription() != null) {
      copy.setDescription(field.getDescription());
    }
    return copy;
  }

  /** A serializable predicate, as the fake needs (it is shipped with the transform). */
  public interface RowPredicate extends Function<TableRow, Boolean>, Serializable {}
}
