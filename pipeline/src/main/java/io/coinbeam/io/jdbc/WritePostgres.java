package io.coinbeam.io.jdbc;

import io.coinbeam.schema.TableDefinition;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.RowCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.jdbc.JdbcIO;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.Values;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.transforms.windowing.DefaultTrigger;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;

/**
 * A table's rows into its PostgreSQL table through JdbcIO, as batched idempotent upserts ({@link
 * UpsertStatement}). One transform for all six tables: the statement and the parameter binding come
 * from the {@link TableDefinition}.
 *
 * <p>Transient failures are retried with backoff until the target's retry timeout ({@link
 * TransientErrors}, {@link ReconnectingDataSource}); any other failure, or one that outlasts the
 * timeout, fails the run with the statement that failed in its message. Because every write is an
 * upsert, running the same input again after such a failure converges to the right tables.
 *
 * <p>Streaming panes are upserts too, so a table always holds each window's latest pane. In
 * streaming the rows leave their windows first (JdbcIO batches them per window otherwise, and a
 * late pane could find its window's batching state already expired), and statements are not
 * rewritten into multi-row INSERTs: two panes of one window can share a batch, and PostgreSQL
 * refuses a multi-row upsert that touches a row twice. In batch each key has one row, except in
 * {@code dead_letters} (whose key is stream, source and error): those are reduced to one row per
 * key first, the same one on every run.
 */
public final class WritePostgres extends PTransform<PCollection<Row>, PCollection<Void>> {
  private static final long serialVersionUID = 1L;
  private static final Duration FIRST_RETRY_DELAY = Duration.millis(500);

  private final PostgresTarget target;
  private final TableDefinition table;

  private WritePostgres(PostgresTarget target, TableDefinition table) {
    this.target = target;
    this.table = table;
  }

  public static WritePostgres to(PostgresTarget target, TableDefinition table) {
    return new WritePostgres(target, table);
  }

  @Override
  public PCollection<Void> expand(PCollection<Row> rows) {
    boolean unbounded = rows.isBounded() == PCollection.IsBounded.UNBOUNDED;
    PCollection<Row> ready;
    if (unbounded) {
      ready =
          rows.apply(
              "IntoGlobalWindow",
              Window.<Row>into(new GlobalWindows())
                  .triggering(DefaultTrigger.of())
                  .withAllowedLateness(Duration.ZERO)
                  .discardingFiredPanes());
    } else if (!keyIsUnique()) {
      ready = rows.apply("OneRowPerKey", oneRowPerKey());
    } else {
      ready = rows;
    }
    return ready.apply(
        "Upsert",
        JdbcIO.<Row>write()
            .withDataSourceProviderFn(new WriterDataSource(target, !unbounded))
            .withStatement(UpsertStatement.sql(table))
            .withPreparedStatementSetter(new RowStatementSetter(table))
            .withBatchSize(target.batchSize())
            .withRetryStrategy(new TransientErrors(table.name()))
            .withRetryConfiguration(
                JdbcIO.RetryConfiguration.create(
                    Integer.MAX_VALUE, target.retryTimeout(), FIRST_RETRY_DELAY))
            .withResults());
  }

  /** The aggregate tables have one row per key and window in batch; dead_letters need not. */
  private boolean keyIsUnique() {
    return table.schema().hasField(UpsertStatement.PANE_INDEX);
  }

  /**
   * One row per key, chosen by the row's values (the smallest in column order), so every run writes
   * the same one.
   */
  private PTransform<PCollection<Row>, PCollection<Row>> oneRowPerKey() {
    List<String> key = table.key();
    Schema schema = table.schema();
    return new PTransform<>() {
      @Override
      public PCollection<Row> expand(PCollection<Row> input) {
        return input
            .apply(
                "KeyByTableKey",
                WithKeys.<String, Row>of(row -> keyOf(row, key))
                    .withKeyType(TypeDescriptors.strings()))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), RowCoder.of(schema)))
            .apply("KeepSmallest", Combine.perKey(new SmallestRow()))
            .apply("DropKey", Values.create())
            .setRowSchema(schema);
      }
    };
  }

  private static String keyOf(Row row, List<String> key) {
    StringBuilder out = new StringBuilder();
    for (String column : key) {
      out.append(Objects.toString(row.<Object>getValue(column))).append('\u0000');
    }
    return out.toString();
  }

  /** The smallest of a key's rows, comparing their values as text in column order. */
  private static final class SmallestRow implements SerializableFunction<Iterable<Row>, Row> {
    private static final long serialVersionUID = 1L;
    private static final Comparator<Row> ORDER =
        Comparator.comparing((Row row) -> String.valueOf(row.getValues()));

    @Override
    public Row apply(Iterable<Row> rows) {
      Row smallest = null;
      for (Row row : rows) {
        if (smallest == null || ORDER.compare(row, smallest) < 0) {
          smallest = row;
        }
      }
      return smallest;
    }
  }

  /** Opens the writers' data source on each worker, from the serializable target. */
  private static final class WriterDataSource implements SerializableFunction<Void, DataSource> {
    private static final long serialVersionUID = 1L;
    private final PostgresTarget target;
    private final boolean rewriteBatchedInserts;

    WriterDataSource(PostgresTarget target, boolean rewriteBatchedInserts) {
      this.target = target;
      this.rewriteBatchedInserts = rewriteBatchedInserts;
    }

    @Override
    public DataSource apply(Void ignored) {
      return target.writerDataSource(rewriteBatchedInserts);
    }
  }
}
