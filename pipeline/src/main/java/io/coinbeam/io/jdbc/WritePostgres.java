package io.coinbeam.io.jdbc;

import io.coinbeam.rows.BeamSchemas;
import io.coinbeam.schema.TableDefinition;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.RowCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.Values;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * A table's rows into its PostgreSQL table as batched idempotent upserts ({@link UpsertStatement},
 * written by {@link UpsertBatchesFn}). One transform for all six tables, batch and streaming, on
 * every runner: the statement and the parameter binding come from the {@link TableDefinition}.
 *
 * <p>Transient failures are retried with backoff until the target's retry timeout ({@link
 * TransientErrors}, {@link ReconnectingDataSource}); any other failure, or one that outlasts the
 * timeout, fails the run with the table and the server's reason in its message. Because every write
 * is an upsert, running the same input again after such a failure converges to the right tables.
 *
 * <p>Streaming panes are upserts too, so a table always holds each window's latest pane (an older
 * pane never overwrites a newer one). In streaming, statements are not rewritten into multi-row
 * INSERTs: two panes of one window can share a batch, and PostgreSQL refuses a multi-row upsert
 * that touches a row twice. In batch each key has one row, except in {@code dead_letters} (whose
 * key is stream, source and error): those are reduced to one row per key first, the same one on
 * every run.
 */
public final class WritePostgres extends PTransform<PCollection<Row>, PCollection<Void>> {
  private static final long serialVersionUID = 1L;

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
    PCollection<Row> ready =
        unbounded || keyIsUnique() ? rows : rows.apply("OneRowPerKey", oneRowPerKey());
    return ready.apply("Upsert", ParDo.of(new UpsertBatchesFn(target, table, !unbounded)));
  }

  /** The aggregate tables have one row per key and window in batch; dead_letters need not. */
  private boolean keyIsUnique() {
    return BeamSchemas.of(table).hasField(UpsertStatement.PANE_INDEX);
  }

  /**
   * One row per key, chosen by the row's values (the smallest in column order), so every run writes
   * the same one.
   */
  private PTransform<PCollection<Row>, PCollection<Row>> oneRowPerKey() {
    List<String> key = table.key();
    Schema schema = BeamSchemas.of(table);
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
}
