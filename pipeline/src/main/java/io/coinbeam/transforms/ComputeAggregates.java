package io.coinbeam.transforms;

import io.coinbeam.capture.ChunkReader;
import io.coinbeam.coders.NaturalKeyCoder;
import io.coinbeam.metrics.PipelineMetrics;
import io.coinbeam.model.NaturalKey;
import io.coinbeam.model.Timestamped;
import io.coinbeam.rows.BeamSchemas;
import io.coinbeam.rows.RowBuilder;
import io.coinbeam.schema.TableDefinition;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.CannotProvideCoderException;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.RowCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Combine.CombineFn;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TupleTag;
import org.joda.time.Duration;

/**
 * A stream's parsed rows into its aggregate table: fixed event-time windows, one summary per key
 * and window, and rows with the key, window bounds and (in streaming) the pane. Batch and streaming
 * run this same transform; only the {@link Windowing} differs.
 */
public final class ComputeAggregates<T extends Record & Timestamped>
    extends PTransform<PCollection<T>, PCollection<Row>> {
  private static final long serialVersionUID = 1L;
  static final List<String> WINDOW_COLUMNS = List.of("window_start", "window_end");
  static final List<String> PANE_COLUMNS = List.of("pane_timing", "pane_index");

  private final StreamSpec<T> spec;
  private final Windowing windowing;
  private final Duration windowSize;
  private final int bundleKeyLimit;

  public ComputeAggregates(StreamSpec<T> spec, Windowing windowing, Duration windowSize) {
    this(spec, windowing, windowSize, SummarizeEachBundle.MAX_KEYS);
  }

  private ComputeAggregates(
      StreamSpec<T> spec, Windowing windowing, Duration windowSize, int bundleKeyLimit) {
    this.spec = spec;
    this.windowing = windowing;
    this.windowSize = windowSize == null ? spec.defaultWindow() : windowSize;
    this.bundleKeyLimit = bundleKeyLimit;
  }

  /** In batch, at most this many keys held per bundle before they leave early (for tests). */
  ComputeAggregates<T> withBundleKeyLimit(int keys) {
    return new ComputeAggregates<>(spec, windowing, windowSize, keys);
  }

  /** The table's columns that the stream's summary fills. */
  static Schema measureSchema(TableDefinition table) {
    Schema.Builder builder = Schema.builder();
    for (Schema.Field field : BeamSchemas.of(table).getFields()) {
      String name = field.getName();
      if (!table.key().contains(name)
          && !WINDOW_COLUMNS.contains(name)
          && !PANE_COLUMNS.contains(name)) {
        builder.addField(field);
      }
    }
    return builder.build();
  }

  @Override
  public PCollection<Row> expand(PCollection<T> rows) {
    NonEmptySummary<T, ?> summary = summary();
    return windowing.isStreaming()
        ? toTableRows(summarizeUnderTrigger(rows, summary).setCoder(summaryCoder()))
        : summarizeBundles(rows, summary);
  }

  /** The table rows, under this tag, of {@link #parseAndCompute}. */
  public static final TupleTag<Row> TABLE = new TupleTag<>() {};

  /**
   * Batch: the records of {@code chunks} (read with {@code reader}) parsed (step {@code parseStep},
   * with the dead letters under {@link ParseRecords#DEAD_LETTERS}) and their table rows computed
   * (step {@code computeStep}, under {@link #TABLE}). The same result as reading the records,
   * {@link ParseRecords} and then this transform, with records read, parsed and folded into partial
   * summaries inside one step ({@link ParseAndSummarizeBundles}).
   */
  public <C> PCollectionTuple parseAndCompute(
      PCollection<C> chunks,
      ChunkReader<C> reader,
      ParseRecords.Shape shape,
      String parseStep,
      String computeStep) {
    if (windowing.isStreaming()) {
      throw new IllegalStateException("parseAndCompute is batch only; stream rows through expand");
    }
    return parseAndCompute(chunks, reader, shape, parseStep, computeStep, summary());
  }

  private <C, A> PCollectionTuple parseAndCompute(
      PCollection<C> chunks,
      ChunkReader<C> reader,
      ParseRecords.Shape shape,
      String parseStep,
      String computeStep,
      CombineFn<T, A, List<Row>> summary) {
    ShardedPartials<A> sharded =
        new ShardedPartials<>(accumulatorCoder(chunks.getPipeline(), summary));
    ParseAndSummarizeBundles<C, T, A> parse =
        new ParseAndSummarizeBundles<>(
            reader, spec, shape, summary, sharded, windowSize.getMillis(), bundleKeyLimit);
    PCollectionTuple parsed = chunks.apply(parseStep, parse);
    PCollection<Row> table =
        parsed
            .get(parse.partials())
            .apply(
                computeStep,
                new PTransform<PCollection<KV<Integer, byte[]>>, PCollection<Row>>() {
                  @Override
                  public PCollection<Row> expand(PCollection<KV<Integer, byte[]>> partials) {
                    return mergeBundles(partials, summary, sharded);
                  }
                });
    return PCollectionTuple.of(TABLE, table)
        .and(ParseRecords.DEAD_LETTERS, parsed.get(ParseRecords.DEAD_LETTERS));
  }

  private NonEmptySummary<T, ?> summary() {
    return new NonEmptySummary<>(spec.summarize(measureSchema(spec.table())));
  }

  private KvCoder<NaturalKey, List<Row>> summaryCoder() {
    return KvCoder.of(NaturalKeyCoder.of(), ListCoder.of(RowCoder.of(measureSchema(spec.table()))));
  }

  private <A> Coder<A> accumulatorCoder(Pipeline pipeline, CombineFn<T, A, List<Row>> summary) {
    try {
      return summary.getAccumulatorCoder(pipeline.getCoderRegistry(), spec.coder());
    } catch (CannotProvideCoderException e) {
      throw new IllegalStateException("no coder for " + spec.name() + "'s summary", e);
    }
  }

  private PCollection<Row> toTableRows(PCollection<KV<NaturalKey, List<Row>>> summaries) {
    TableDefinition table = spec.table();
    return summaries
        .apply("ToTableRows", ParDo.of(new ToTableRowFn(table, windowing.isStreaming())))
        .setRowSchema(BeamSchemas.of(table));
  }

  /**
   * Streaming: rows in their windows, folded per bundle ({@link SummarizeEachBundleInWindows}),
   * then merged per key and window under the trigger.
   */
  private <A> PCollection<KV<NaturalKey, List<Row>>> summarizeUnderTrigger(
      PCollection<T> rows, CombineFn<T, A, List<Row>> summary) {
    Coder<A> accumulatorCoder = accumulatorCoder(rows.getPipeline(), summary);
    return rows.apply("WindowIntoFixedWindows", windowing.<T>windowInto(windowSize))
        .apply("SummarizeEachBundle", ParDo.of(new SummarizeEachBundleInWindows<>(spec, summary)))
        .setCoder(KvCoder.of(NaturalKeyCoder.of(), accumulatorCoder))
        .apply("Summarize", Combine.perKey(new MergePartialSummaries<>(summary)));
  }

  /**
   * Batch: each bundle's rows become one partial summary per key first ({@link
   * SummarizeEachBundle}), and only those are shuffled and merged ({@link MergeBundleSummaries}).
   */
  private <A> PCollection<Row> summarizeBundles(
      PCollection<T> rows, CombineFn<T, A, List<Row>> summary) {
    ShardedPartials<A> sharded =
        new ShardedPartials<>(accumulatorCoder(rows.getPipeline(), summary));
    PCollection<KV<Integer, byte[]>> partials =
        rows.apply(
                "SummarizeEachBundle",
                ParDo.of(
                    new SummarizeEachBundle<>(spec, summary, sharded, windowSize, bundleKeyLimit)))
            .setCoder(ShardedPartials.coder());
    return mergeBundles(partials, summary, sharded);
  }

  /** Batch: partial summaries merged per key, put in their windows, and made table rows. */
  private <A> PCollection<Row> mergeBundles(
      PCollection<KV<Integer, byte[]>> partials,
      CombineFn<T, A, List<Row>> summary,
      ShardedPartials<A> sharded) {
    return toTableRows(
        partials
            .apply("Summarize", new MergeBundleSummaries<>(summary, sharded, windowSize))
            .setCoder(summaryCoder())
            .apply(
                "WindowIntoFixedWindows",
                windowing.<KV<NaturalKey, List<Row>>>windowInto(windowSize)));
  }

  /** Joins key, window, summary and pane into one row of the table. */
  private static final class ToTableRowFn extends DoFn<KV<NaturalKey, List<Row>>, Row> {
    private static final long serialVersionUID = 1L;
    private final TableDefinition table;
    private final boolean recordPanes;
    private final Counter rowsOut;

    ToTableRowFn(TableDefinition table, boolean recordPanes) {
      this.table = table;
      this.recordPanes = recordPanes;
      this.rowsOut = PipelineMetrics.counter(table.name(), PipelineMetrics.ROWS_OUT);
    }

    @ProcessElement
    public void process(
        @Element KV<NaturalKey, List<Row>> summary,
        BoundedWindow window,
        PaneInfo pane,
        OutputReceiver<Row> out) {
      if (summary.getValue().isEmpty()) {
        return; // a pane without inputs (see NonEmptySummary)
      }
      IntervalWindow interval = (IntervalWindow) window;
      RowBuilder row = RowBuilder.of(BeamSchemas.of(table));
      NaturalKey naturalKey = summary.getKey();
      for (int i = 0; i < naturalKey.size(); i++) {
        row.set(table.key().get(i), naturalKey.get(i));
      }
      row.set("window_start", interval.start());
      row.set("window_end", interval.end());
      Row measures = summary.getValue().get(0);
      List<Schema.Field> fields = measures.getSchema().getFields();
      for (int i = 0; i < fields.size(); i++) {
        row.set(fields.get(i).getName(), measures.getValue(i));
      }
      if (recordPanes) {
        row.set("pane_timing", pane.getTiming().name());
        row.set("pane_index", pane.getIndex());
      }
      out.output(row.build());
      rowsOut.inc();
    }
  }
}
