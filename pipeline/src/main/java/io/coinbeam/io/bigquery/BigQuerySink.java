package io.coinbeam.io.bigquery;

import io.coinbeam.io.TableSink;
import io.coinbeam.io.bigquery.BigQueryCatalog.CatalogException;
import io.coinbeam.options.BigQuerySinkOptions;
import io.coinbeam.schema.TableDefinition;
import java.io.PrintStream;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.apache.beam.sdk.extensions.gcp.options.GcpOptions;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;

/**
 * BigQuery tables of the dataset Terraform made. Before a run it checks the flags and the tables
 * themselves ({@link BigQueryPreflight}); while it runs, rows BigQuery refuses come back as dead
 * letters.
 */
public final class BigQuerySink implements TableSink {
  private final BigQuerySinkOptions options;
  private final boolean streaming;
  private final BigQueryCatalog.Factory catalogs;
  private final Function<TableDefinition, WriteBigQuery> writes;

  private BigQuerySink(
      BigQuerySinkOptions options,
      boolean streaming,
      BigQueryCatalog.Factory catalogs,
      Function<TableDefinition, WriteBigQuery> writes) {
    this.options = options;
    this.streaming = streaming;
    this.catalogs = catalogs;
    this.writes = writes;
  }

  /** The sink the flags describe; its preflight asks {@code catalogs} about the tables. */
  public static BigQuerySink from(
      BigQuerySinkOptions options, boolean streaming, BigQueryCatalog.Factory catalogs) {
    // The target is read from the flags when a table is written: check() reports bad flags first.
    return new BigQuerySink(
        options,
        streaming,
        catalogs,
        table -> WriteBigQuery.to(BigQueryTarget.from(options), table));
  }

  /** This sink writing each table with {@code writes}: Beam's fake BigQuery in tests. */
  public BigQuerySink withWrites(Function<TableDefinition, WriteBigQuery> writes) {
    return new BigQuerySink(options, streaming, catalogs, writes);
  }

  @Override
  public String title() {
    return "BigQuery";
  }

  /**
   * The flags first (a batch load needs a gs:// temp folder), then Beam's own GCP project is
   * pointed at the same project, then the preflight looks at the tables (unless
   * --bigQueryPreflight=false).
   */
  @Override
  public boolean check(List<TableDefinition> tables, PrintStream out, PrintStream err) {
    BigQueryTarget target = BigQueryTarget.from(options);
    target.writeMethod(streaming);
    GcpOptions gcp = options.as(GcpOptions.class);
    if (gcp.getProject() == null || gcp.getProject().isBlank()) {
      gcp.setProject(target.project());
    }
    if (!options.getBigQueryPreflight()) {
      return true;
    }
    try {
      BigQueryPreflight.Report report =
          BigQueryPreflight.check(catalogs.connect(target.project()), target, tables);
      if (!report.ok()) {
        err.print(report.render());
        return false;
      }
      if (!report.notes().isEmpty()) {
        out.print(report.render());
      }
      return true;
    } catch (CatalogException e) {
      err.println(
          "coinbeam: BigQuery preflight could not run: "
              + e.getMessage()
              + " (--bigQueryPreflight=false skips it)");
      return false;
    }
  }

  /** Rows BigQuery refuses come back to be written to dead_letters, with its reason. */
  @Override
  public Optional<PCollection<Row>> write(
      String step, PCollection<Row> rows, TableDefinition table, String part) {
    return Optional.of(rows.apply(step, writes.apply(table)));
  }

  @Override
  public String describe() {
    return "BigQuery tables in "
        + BigQueryTarget.from(options).qualifiedName("<table>")
        + ", rejected input and refused rows in its dead_letters table";
  }
}
