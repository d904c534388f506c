package io.coinbeam.transforms;

import io.coinbeam.model.RawRecord;
import io.coinbeam.model.Timestamped;
import io.coinbeam.rows.DeadLetters;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Raw records into typed rows stamped with their event time, and everything unusable into dead
 * letters with the reason and the exact source. The same step serves every stream and both input
 * shapes: REST envelopes (files of snapshots) and single rows (trade messages, Kafka records).
 */
public final class ParseRecords<T extends Record & Timestamped>
    extends PTransform<PCollection<RawRecord>, PCollectionTuple> {
  private static final long serialVersionUID = 1L;

  /** The dead letters output; the parsed rows are under {@link #rows()}. */
  public static final TupleTag<Row> DEAD_LETTERS = new TupleTag<>() {};

  /** How each record's payload is shaped. */
  public enum Shape {
    /** A REST envelope whose rows share its timestamp: snapshot files. */
    ENVELOPE,
    /** One row: a trade message, or a snapshot row whose observation time is the record's. */
    ROW
  }

  private final StreamSpec<T> spec;
  private final Shape shape;
  private final TupleTag<T> rows = new TupleTag<>() {};

  public ParseRecords(StreamSpec<T> spec, Shape shape) {
    this.spec = spec;
    this.shape = shape;
  }

  /** The shape of files for this stream: envelopes for snapshots, rows for trades. */
  public static Shape fileShape(StreamSpec<?> spec) {
    return spec.isSnapshot() ? Shape.ENVELOPE : Shape.ROW;
  }

  public TupleTag<T> rows() {
    return rows;
  }

  @Override
  public PCollectionTuple expand(PCollection<RawRecord> input) {
    PCollectionTuple out =
        input.apply(
            "ParseJson",
            ParDo.of(new ParseFn<>(spec, shape, rows))
                .withOutputTags(rows, TupleTagList.of(DEAD_LETTERS)));
    out.get(rows).setCoder(spec.coder());
    out.get(DEAD_LETTERS).setRowSchema(DeadLetters.schema());
    return out;
  }

  private static final class ParseFn<T extends Record & Timestamped> extends DoFn<RawRecord, T> {
    private static final long serialVersionUID = 1L;
    private final RecordParser<T> parser;
    private final TupleTag<T> rows;

    ParseFn(StreamSpec<T> spec, Shape shape, TupleTag<T> rows) {
      this.parser = new RecordParser<>(spec, shape);
      this.rows = rows;
    }

    @ProcessElement
    public void process(@Element RawRecord raw, MultiOutputReceiver out) {
      parser.parse(
          raw,
          new RecordParser.Receiver<T>() {
            @Override
            public void row(T parsed) {
              out.get(rows).outputWithTimestamp(parsed, new Instant(parsed.eventTimeMillis()));
            }

            @Override
            public void deadLetter(Row deadLetter) {
              out.get(DEAD_LETTERS).output(deadLetter);
            }
          });
    }

    /**
     * Event times come from the payload, so they may lie before the record's own timestamp (a Kafka
     * record time, or the start of time for files); windows, not element timestamps, decide what is
     * late.
     */
    @Override
    @SuppressWarnings("deprecation")
    public Duration getAllowedTimestampSkew() {
      return Duration.millis(Long.MAX_VALUE);
    }
  }
}
