package io.coinbeam.transforms;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.coinbeam.metrics.PipelineMetrics;
import io.coinbeam.model.Envelope;
import io.coinbeam.model.MalformedRecordException;
import io.coinbeam.model.RawRecord;
import io.coinbeam.model.Timestamped;
import io.coinbeam.rows.DeadLetters;
import java.util.List;
import org.apache.beam.sdk.metrics.Counter;
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

    /** Trailing text after a value ({@code {...} junk}) is an error, not silently ignored. */
    private static final ObjectMapper JSON =
        new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final StreamSpec<T> spec;
    private final Shape shape;
    private final TupleTag<T> rows;
    private final Counter recordsRead;
    private final Counter rowsParsed;
    private final Counter deadLetters;

    ParseFn(StreamSpec<T> spec, Shape shape, TupleTag<T> rows) {
      this.spec = spec;
      this.shape = shape;
      this.rows = rows;
      this.recordsRead = PipelineMetrics.counter(spec.name(), PipelineMetrics.RECORDS_READ);
      this.rowsParsed = PipelineMetrics.counter(spec.name(), PipelineMetrics.ROWS_PARSED);
      this.deadLetters = PipelineMetrics.counter(spec.name(), PipelineMetrics.DEAD_LETTERS);
    }

    /**
     * Counts what enters as records read: each record, except that an envelope counts as its rows
     * (each becomes a row or a dead letter) unless it is unusable as a whole. So records read =
     * rows parsed + dead letters, the check every summary makes.
     */
    @ProcessElement
    public void process(@Element RawRecord raw, MultiOutputReceiver out) {
      if (!raw.readable()) {
        recordsRead.inc();
        deadLetter(out, raw.source(), raw.payload(), raw.readError(), raw);
        return;
      }
      JsonNode document;
      try {
        document = JSON.readTree(raw.payload());
        if (document == null || document.isMissingNode()) {
          throw new MalformedRecordException("empty record");
        }
      } catch (JsonProcessingException e) {
        recordsRead.inc();
        deadLetter(out, raw.source(), raw.payload(), "not valid JSON: " + describe(e), raw);
        return;
      } catch (MalformedRecordException e) {
        recordsRead.inc();
        deadLetter(out, raw.source(), raw.payload(), e.getMessage(), raw);
        return;
      }

      // A row record holding a whole REST envelope (the replay publishes an unusable capture, such
      // as the v2 shutdown body, as it was) is read as one, so it fails as it does in batch.
      if (shape == Shape.ROW && !(document.isObject() && document.has("data"))) {
        recordsRead.inc();
        parseRow(out, document, raw.capturedAtMillis(), raw.source(), raw.payload(), raw);
        return;
      }
      Envelope envelope;
      try {
        envelope = Envelope.parse(document);
      } catch (MalformedRecordException e) {
        recordsRead.inc();
        deadLetter(out, raw.source(), raw.payload(), e.getMessage(), raw);
        return;
      }
      List<JsonNode> dataRows = envelope.rows();
      for (int i = 0; i < dataRows.size(); i++) {
        JsonNode row = dataRows.get(i);
        String source = raw.source() + "#data[" + i + "]";
        recordsRead.inc();
        parseRow(out, row, envelope.timestampMillis(), source, null, raw);
      }
    }

    private void parseRow(
        MultiOutputReceiver out,
        JsonNode row,
        long observedAtMillis,
        String source,
        String payload,
        RawRecord raw) {
      try {
        if (!row.isObject()) {
          throw new MalformedRecordException(
              "expected a JSON object per row, got " + row.getNodeType());
        }
        T parsed = spec.parseRow(row, observedAtMillis);
        rowsParsed.inc();
        out.get(rows).outputWithTimestamp(parsed, new Instant(parsed.eventTimeMillis()));
      } catch (MalformedRecordException e) {
        deadLetter(out, source, payload != null ? payload : row.toString(), e.getMessage(), raw);
      }
    }

    private void deadLetter(
        MultiOutputReceiver out, String source, String payload, String error, RawRecord raw) {
      deadLetters.inc();
      out.get(DEAD_LETTERS)
          .output(DeadLetters.of(spec.name(), source, payload, error, raw.capturedAtMillis()));
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

    private static String describe(JsonProcessingException e) {
      JsonLocation location = e.getLocation();
      String message = e.getOriginalMessage();
      int cut = message.indexOf('\n');
      if (cut > 0) {
        message = message.substring(0, cut);
      }
      return location == null
          ? message
          : message + " (column " + location.getColumnNr() + ", line " + location.getLineNr() + ")";
    }
  }
}
