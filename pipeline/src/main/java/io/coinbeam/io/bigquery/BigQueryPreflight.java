package io.coinbeam.io.bigquery;

import io.coinbeam.io.bigquery.BigQueryCatalog.CatalogColumn;
import io.coinbeam.io.bigquery.BigQueryCatalog.CatalogException;
import io.coinbeam.io.bigquery.BigQueryCatalog.CatalogTable;
import io.coinbeam.options.CoinbeamOptions;
import io.coinbeam.schema.Column;
import io.coinbeam.schema.ColumnType;
import io.coinbeam.schema.TableDefinition;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryIO.Write.CreateDisposition;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * Checks, before anything runs, that BigQuery holds the dataset and tables the pipeline will write,
 * with the schemas in {@code schemas/<table>.json}. A run with CREATE_NEVER (the default) against a
 * missing or different table would otherwise fail only after reading all its input, with an error
 * from deep inside a load job; this says which table and which column, and what to run ({@code make
 * tf-apply}). {@code make bq-check} runs {@link #main}; a run with {@code --sinks=bigquery} runs
 * {@link #check} first.
 */
public final class BigQueryPreflight {
  /** What to do about any problem: Terraform makes the tables from the same schema files. */
  public static final String FIX =
      "Create or update them with `make tf-apply` (Terraform builds every table from"
          + " core/src/main/resources/schemas), then check again with `make bq-check`.";

  private BigQueryPreflight() {}

  /**
   * The outcome: problems stop a run; notes do not (a table that will be created, a difference in
   * partitioning that costs money but not correctness).
   */
  public record Report(String dataset, List<String> problems, List<String> notes) {
    public boolean ok() {
      return problems.isEmpty();
    }

    /** The report as people read it: one line per finding, then what to do. */
    public String render() {
      StringBuilder out = new StringBuilder();
      if (ok()) {
        out.append("BigQuery preflight passed for ").append(dataset).append('\n');
      } else {
        out.append("BigQuery preflight failed for ")
            .append(dataset)
            .append(": ")
            .append(problems.size())
            .append(problems.size() == 1 ? " problem" : " problems")
            .append('\n');
      }
      problems.forEach(p -> out.append("  problem: ").append(p).append('\n'));
      notes.forEach(n -> out.append("  note:    ").append(n).append('\n'));
      if (!ok()) {
        out.append(FIX).append('\n');
      }
      return out.toString();
    }
  }

  /**
   * Compares BigQuery with the pipeline's tables.
   *
   * @throws CatalogException when BigQuery cannot be asked (credentials, permissions, network)
   */
  public static Report check(
      BigQueryCatalog catalog, BigQueryTarget target, List<TableDefinition> tables)
      throws CatalogException {
    String dataset = target.project() + "." + target.dataset();
    List<String> problems = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    if (!catalog.datasetExists(target.project(), target.dataset())) {
      problems.add("dataset " + dataset + " does not exist");
      return new Report(dataset, problems, notes);
    }
    boolean mayCreate = target.createDisposition() == CreateDisposition.CREATE_IF_NEEDED;
    for (TableDefinition table : tables) {
      String name = target.qualifiedName(table.name());
      Optional<CatalogTable> found =
          catalog.table(target.project(), target.dataset(), table.name());
      if (found.isEmpty()) {
        if (mayCreate) {
          notes.add("table " + name + " does not exist yet; the run creates it (CREATE_IF_NEEDED)");
        } else {
          problems.add("table " + name + " does not exist");
        }
        continue;
      }
      compareColumns(name, table, found.get(), problems, notes);
      compareLayout(name, table, found.get(), notes);
    }
    return new Report(dataset, problems, notes);
  }

  private static void compareColumns(
      String name,
      TableDefinition table,
      CatalogTable remote,
      List<String> problems,
      List<String> notes) {
    Map<String, CatalogColumn> remoteColumns = new LinkedHashMap<>();
    remote.columns().forEach(c -> remoteColumns.put(c.name(), c));
    for (Column column : table.columns()) {
      String expected = column.type().name() + " " + BigQuerySchemas.mode(column);
      CatalogColumn actual = remoteColumns.remove(column.name());
      if (actual == null) {
        problems.add(
            "table " + name + ": column " + column.name() + " (" + expected + ") is missing");
        continue;
      }
      String found = normalType(actual.type()) + " " + actual.mode();
      if (!expected.equals(found)) {
        problems.add(
            "table "
                + name
                + ": column "
                + column.name()
                + " is "
                + expected
                + " in the pipeline but "
                + found
                + " in BigQuery");
      }
    }
    for (CatalogColumn extra : remoteColumns.values()) {
      if ("REQUIRED".equals(extra.mode())) {
        problems.add(
            "table "
                + name
                + ": column "
                + extra.name()
                + " is REQUIRED in BigQuery but the pipeline has no such column");
      } else {
        notes.add(
            "table "
                + name
                + ": column "
                + extra.name()
                + " exists only in BigQuery ("
                + extra.mode()
                + "; the pipeline leaves it empty)");
      }
    }
  }

  private static void compareLayout(
      String name, TableDefinition table, CatalogTable remote, List<String> notes) {
    if (!table.partitionColumn().equals(remote.partitionField())
        || !BigQuerySchemas.PARTITION_TYPE.equals(remote.partitionType())) {
      notes.add(
          "table "
              + name
              + " is not partitioned by day on "
              + table.partitionColumn()
              + " (BigQuery: "
              + (remote.partitionField() == null
                  ? "not partitioned by a column"
                  : remote.partitionType() + " on " + remote.partitionField())
              + "): queries scan, and cost, more than they need");
    }
    if (!Objects.equals(table.clusteringColumns(), remote.clustering())) {
      notes.add(
          "table "
              + name
              + " is clustered on "
              + remote.clustering()
              + ", not "
              + table.clusteringColumns()
              + ": queries by key read more than they need");
    }
  }

  /** BigQuery's API answers with legacy type names; standard SQL names mean the same. */
  private static String normalType(String type) {
    try {
      return ColumnType.parse(type).name();
    } catch (IllegalArgumentException e) {
      return type; // NUMERIC, JSON, ...: no pipeline column has it, so it differs as it is
    }
  }

  /**
   * {@code make bq-check}: checks all six tables with the pipeline's own flags ({@code
   * --bigQueryProject}, {@code --bigQueryDataset}, ...). Exit code 0 when they match, 2 otherwise.
   */
  public static void main(String[] args) {
    System.exit(run(args, CloudBigQueryCatalog::connect, System.out, System.err));
  }

  /** {@link #main} with the catalog and output streams given, for tests. */
  public static int run(
      String[] args, BigQueryCatalog.Factory catalogs, PrintStream out, PrintStream err) {
    BigQueryTarget target;
    try {
      PipelineOptionsFactory.register(CoinbeamOptions.class);
      CoinbeamOptions options =
          PipelineOptionsFactory.fromArgs(args).withValidation().as(CoinbeamOptions.class);
      target = BigQueryTarget.from(options);
    } catch (IllegalArgumentException e) {
      err.println("coinbeam: " + e.getMessage());
      return 2;
    }
    List<TableDefinition> tables =
        TableDefinition.allNames().stream().map(TableDefinition::named).toList();
    try {
      Report report = check(catalogs.connect(target.project()), target, tables);
      (report.ok() ? out : err).print(report.render());
      return report.ok() ? 0 : 2;
    } catch (CatalogException e) {
      err.println("coinbeam: BigQuery preflight could not run: " + e.getMessage());
      return 2;
    }
  }
}
