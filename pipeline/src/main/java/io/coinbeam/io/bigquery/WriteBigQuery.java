package io.coinbeam.io.bigquery;

import com.google.api.services.bigquery.model.TableRow;
import io.coinbeam.metrics.PipelineMetrics;
import io.coinbeam.rows.DeadLetters;
import io.coinbeam.schema.TableDefinition;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryIO;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryIO.Write.Method;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryIO.Write.WriteDisposition;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryServices;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryStorageApiInsertError;
import org.apache.beam.sdk.io.gcp.bigquery.TableRowJsonCoder;
import org.apache.beam.sdk.io.gcp.bigquery.WriteResult;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.options.ValueProvider.StaticValueProvider;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.DefaultTrigger;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * A table's rows into its BigQuery table, and back out the rows BigQuery did not take, as {@code
 * dead_letters} rows. One transform for all six tables: everything table-specific (schema,
 * partitioning, clustering) comes from the {@link TableDefinition}.
 *
 * <p>Bounded input goes through load jobs (FILE_LOADS: free, all-or-nothing per load), unbounded
 * input through the Storage Write API (at-least-once by default, exactly-once on request); legacy
 * streaming inserts are never used. Rows are checked before they are written ({@link TableRows}),
 * so a bad row becomes a dead letter instead of failing a load job; with the Storage Write API, the
 * rows BigQuery itself rejects come back from BigQueryIO's failed-rows output and become dead
 * letters too. The output is in the global window with the default trigger, like the parser's dead
 * letters, so the two can be flattened into one {@code dead_letters} collection.
 */
public final class WriteBigQuery extends PTransform<PCollection<Row>, PCollection<Row>> {
  private static final long serialVersionUID = 1L;
  private static final TupleTag<TableRow> WRITABLE = new TupleTag<>() {};
  private static final TupleTag<Row> REJECTED = new TupleTag<>() {};

  private final BigQueryTarget target;
  private final TableDefinition table;
  private final BigQueryServices testServices;

  private WriteBigQuery(BigQueryTarget target, TableDefinition table, BigQueryServices services) {
    this.target = target;
    this.table = table;
    this.testServices = services;
  }

  public static WriteBigQuery to(BigQueryTarget target, TableDefinition table) {
    return new WriteBigQuery(target, table, null);
  }

  /** Talks to these services instead of BigQuery: Beam's {@code FakeBigQueryServices} in tests. */
  public WriteBigQuery withTestServices(BigQueryServices services) {
    return new WriteBigQuery(target, table, services);
  }

  /** The BigQueryIO write this transform applies, for the input's boundedness. */
  BigQueryIO.Write<TableRow> bigQueryWrite(boolean unbounded) {
    Method method = target.writeMethod(unbounded);
    BigQueryIO.Write<TableRow> write =
        BigQueryIO.writeTableRows()
            .to(target.tableReference(table.name()))
            .withSchema(BigQuerySchemas.tableSchema(table))
            .withTimePartitioning(BigQuerySchemas.timePartitioning(table))
            .withClustering(BigQuerySchemas.clustering(table))
            .withCreateDisposition(target.createDisposition())
            // Rows accumulate; the key and pane_index pick the latest (see the *_latest views).
            .withWriteDisposition(WriteDisposition.WRITE_APPEND)
            .withMethod(method);
    if (method == Method.FILE_LOADS) {
      write =
          write
              .withCustomGcsTempLocation(StaticValueProvider.of(target.tempLocation()))
              .withLoadJobProjectId(target.project());
    }
    if (unbounded && method == Method.STORAGE_WRITE_API) {
      // Exactly-once commits buffered streams at this interval; its cost is this much delay.
      write = write.withTriggeringFrequency(target.triggeringFrequency());
      write =
          target.writeStreams() > 0
              ? write.withNumStorageWriteApiStreams(target.writeStreams())
              : write.withAutoSharding();
    }
    if (testServices != null) {
      write = write.withTestServices(testServices);
    }
    return write;
  }

  @Override
  public PCollection<Row> expand(PCollection<Row> rows) {
    boolean unbounded = rows.isBounded() == PCollection.IsBounded.UNBOUNDED;
    BigQueryIO.Write<TableRow> write = bigQueryWrite(unbounded);

    PCollectionTuple checked =
        rows.apply(
            "ToTableRows",
            ParDo.of(new ToTableRowFn(table)).withOutputTags(WRITABLE, TupleTagList.of(REJECTED)));
    PCollection<TableRow> writable = checked.get(WRITABLE).setCoder(TableRowJsonCoder.of());
    WriteResult result = writable.apply("WriteRows", write);

    List<PCollection<Row>> failures = new ArrayList<>();
    failures.add(
        checked
            .get(REJECTED)
            .setRowSchema(DeadLetters.schema())
            .apply("RejectedIntoGlobalWindow", intoGlobalWindow()));
    if (write.getMethod() != Method.FILE_LOADS) {
      // A failed load job fails the run (BigQueryIO retries it first); there are no per-row
      // failures to collect. The Storage Write API reports each refused row with its error.
      failures.add(
          result
              .getFailedStorageApiInserts()
              .apply("FailedRowsToDeadLetters", ParDo.of(new FailedRowFn(table.name())))
              .setRowSchema(DeadLetters.schema())
              .apply("FailedIntoGlobalWindow", intoGlobalWindow()));
    }
    return PCollectionList.of(failures)
        .apply("CollectFailures", Flatten.pCollections())
        .setRowSchema(DeadLetters.schema());
  }

  /** The parser's dead letters' windowing, so Flatten accepts both. */
  private static Window<Row> intoGlobalWindow() {
    return Window.<Row>into(new GlobalWindows())
        .triggering(DefaultTrigger.of())
        .withAllowedLateness(Duration.ZERO)
        .discardingFiredPanes();
  }

  /** {@code bigquery:<table>}: the source of a dead letter written by this sink. */
  public static String source(String table) {
    return "bigquery:" + table;
  }

  private static Row deadLetter(String table, String payload, String error) {
    // observed_at is when the sink saw the failure: dead_letters is partitioned by it, so a
    // day's failures are one cheap partition to look at.
    return DeadLetters.of(table, source(table), payload, error, Instant.now().getMillis());
  }

  private static final class ToTableRowFn extends DoFn<Row, TableRow> {
    private static final long serialVersionUID = 1L;
    private final TableDefinition table;
    private final Counter rejected;

    ToTableRowFn(TableDefinition table) {
      this.table = table;
      this.rejected = PipelineMetrics.counter(table.name(), PipelineMetrics.BIGQUERY_REJECTED);
    }

    @ProcessElement
    public void process(@Element Row row, MultiOutputReceiver out) {
      try {
        out.get(WRITABLE).output(TableRows.toTableRow(row, table));
      } catch (TableRows.RejectedRowException e) {
        rejected.inc();
        out.get(REJECTED)
            .output(deadLetter(table.name(), TableRows.toJson(e.partial()), e.getMessage()));
      }
    }
  }

  private static final class FailedRowFn extends DoFn<BigQueryStorageApiInsertError, Row> {
    private static final long serialVersionUID = 1L;
    private final String table;
    private final Counter rejected;

    FailedRowFn(String table) {
      this.table = table;
      this.rejected = PipelineMetrics.counter(table, PipelineMetrics.BIGQUERY_REJECTED);
    }

    @ProcessElement
    public void process(@Element BigQueryStorageApiInsertError failure, OutputReceiver<Row> out) {
      rejected.inc();
      String error = failure.getErrorMessage();
      out.output(
          deadLetter(
              table,
              TableRows.toJson(failure.getRow()),
              "BigQuery refused the row: "
                  + (error == null || error.isBlank() ? "no reason given" : error)));
    }
  }
}
