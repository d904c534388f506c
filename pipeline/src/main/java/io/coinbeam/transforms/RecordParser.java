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
import java.io.Serializable;
import java.util.List;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.values.Row;

/**
 * One raw record into typed rows and dead letters, counted: the parsing every step that reads
 * records shares ({@link ParseRecords}, and batch's {@link ParseAndSummarizeBundles}).
 *
 * <p>Counts what enters as records read: each record, except that an envelope counts as its rows
 * (each becomes a row or a dead letter) unless it is unusable as a whole, and so does an exchange
 * frame holding several trades. An exchange frame without trades (an acknowledgement, a heartbeat)
 * is counted as skipped. So records read = rows parsed + dead letters + skipped, the check every
 * summary makes.
 */
final class RecordParser<T extends Record & Timestamped> implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Trailing text after a value ({@code {...} junk}) is an error, not silently ignored. */
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  /** Where a record's rows and dead letters go. */
  interface Receiver<T> {
    void row(T parsed);

    void deadLetter(Row deadLetter);
  }

  private final StreamSpec<T> spec;
  private final ParseRecords.Shape shape;
  private final Counter recordsRead;
  private final Counter rowsParsed;
  private final Counter deadLetters;
  private final Counter skipped;

  RecordParser(StreamSpec<T> spec, ParseRecords.Shape shape) {
    this.spec = spec;
    this.shape = shape;
    this.recordsRead = PipelineMetrics.counter(spec.name(), PipelineMetrics.RECORDS_READ);
    this.rowsParsed = PipelineMetrics.counter(spec.name(), PipelineMetrics.ROWS_PARSED);
    this.deadLetters = PipelineMetrics.counter(spec.name(), PipelineMetrics.DEAD_LETTERS);
    this.skipped = PipelineMetrics.counter(spec.name(), PipelineMetrics.SKIPPED);
  }

  /** Parses {@code raw} into {@code out}. */
  void parse(RawRecord raw, Receiver<T> out) {
    if (!raw.readable()) {
      recordsRead.inc();
      deadLetter(out, raw.source(), raw.payload(), raw.readError(), raw);
      return;
    }
    if (shape == ParseRecords.Shape.ROW) {
      T simple = spec.parseSimple(raw.payload());
      if (simple != null) {
        recordsRead.inc();
        rowsParsed.inc();
        out.row(simple);
        return;
      }
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

    if (shape == ParseRecords.Shape.ROW && parseFrame(out, document, raw)) {
      return;
    }
    // A row record holding a whole REST envelope (the replay publishes an unusable capture, such
    // as the v2 shutdown body, as it was) is read as one, so it fails as it does in batch.
    if (shape == ParseRecords.Shape.ROW && !(document.isObject() && document.has("data"))) {
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

  /**
   * Reads {@code document} when it is a frame of another source the stream takes (an exchange
   * feed's); false when it is not one. A frame counts as its rows, or, holding none, as one record
   * skipped: never as a dead letter, unless it is a known frame whose content is unusable.
   */
  private boolean parseFrame(Receiver<T> out, JsonNode document, RawRecord raw) {
    StreamSpec.Frame<T> frame;
    try {
      frame = spec.parseFrame(document);
    } catch (MalformedRecordException e) {
      recordsRead.inc();
      deadLetter(out, raw.source(), raw.payload(), e.getMessage(), raw);
      return true;
    }
    if (frame == null) {
      return false;
    }
    if (frame.rows().isEmpty()) {
      recordsRead.inc();
      skipped.inc();
      return true;
    }
    for (T row : frame.rows()) {
      recordsRead.inc();
      rowsParsed.inc();
      out.row(row);
    }
    return true;
  }

  private void parseRow(
      Receiver<T> out,
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
      out.row(parsed);
    } catch (MalformedRecordException e) {
      deadLetter(out, source, payload != null ? payload : row.toString(), e.getMessage(), raw);
    }
  }

  private void deadLetter(
      Receiver<T> out, String source, String payload, String error, RawRecord raw) {
    deadLetters.inc();
    out.deadLetter(DeadLetters.of(spec.name(), source, payload, error, raw.capturedAtMillis()));
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
