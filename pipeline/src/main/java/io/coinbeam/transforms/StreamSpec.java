package io.coinbeam.transforms;

import com.fasterxml.jackson.databind.JsonNode;
import io.coinbeam.catalog.CoinCapStream;
import io.coinbeam.coders.RecordCoder;
import io.coinbeam.model.MalformedRecordException;
import io.coinbeam.model.Timestamped;
import io.coinbeam.schema.TableDefinition;
import java.io.Serializable;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.Combine.CombineFn;
import org.apache.beam.sdk.values.Row;
import org.joda.time.Duration;

/**
 * What makes one stream different from the others: how a JSON row becomes a typed row, what its key
 * is, and how a window of rows is summarised into its table. Everything else (reading, parsing
 * envelopes, dead letters, windowing, triggers, output rows, sinks) is shared by all five.
 *
 * @param <T> the parsed row type
 */
public abstract class StreamSpec<T extends Record & Timestamped> implements Serializable {
  private static final long serialVersionUID = 1L;

  private final CoinCapStream stream;
  private final Class<T> rowType;
  private final Duration defaultWindow;

  protected StreamSpec(CoinCapStream stream, Class<T> rowType, Duration defaultWindow) {
    this.stream = stream;
    this.rowType = rowType;
    this.defaultWindow = defaultWindow;
  }

  /** The stream's name: trades, assets, rates, exchanges or markets. */
  public final String name() {
    return stream.id();
  }

  /** The aggregate table it fills. */
  public final TableDefinition table() {
    return stream.table();
  }

  public final Duration defaultWindow() {
    return defaultWindow;
  }

  /**
   * True for REST snapshot streams: their files hold envelopes whose timestamp is every row's
   * observation time. False for trades, where each record is one self-timed message.
   */
  public final boolean isSnapshot() {
    return stream.isSnapshot();
  }

  public final Coder<T> coder() {
    return RecordCoder.of(rowType);
  }

  /**
   * Parses one row.
   *
   * @param observedAtMillis the observation time of a snapshot row (envelope or record time);
   *     ignored by streams whose rows carry their own time
   */
  public abstract T parseRow(JsonNode row, long observedAtMillis) throws MalformedRecordException;

  /**
   * A fast path for the commonest rows: the row {@link #parseRow} would give for a record that is
   * one well-formed row, read straight from its text, or null when the record is anything else
   * (then {@link #parseRow} reads it, and says what is wrong). Streams without one return null.
   */
  public T parseSimple(String record) {
    return null;
  }

  /**
   * A record of another source than CoinCap that this stream also takes (the trades stream: raw
   * Binance and Coinbase frames), read into its rows; null when the record is not one, so the
   * CoinCap reader takes it. Only asked about records the {@link #parseSimple} fast path refused.
   */
  public Frame<T> parseFrame(JsonNode record) throws MalformedRecordException {
    return null;
  }

  /**
   * What a foreign frame held: its rows, or none and the reason it is skipped (a control frame).
   *
   * @param rows the rows, each counted as a record read and a row parsed
   * @param skipped what the frame is when it holds no rows (counted as one record skipped)
   */
  public record Frame<T>(List<T> rows, String skipped) {}

  /** The natural id of a row, in the order of the table's key columns (without window_start). */
  public abstract List<String> key(T row);

  /**
   * Summarises one key's rows in one window into the table's measure columns.
   *
   * @param measures the table's columns that are neither key, window nor pane columns
   */
  public abstract CombineFn<T, ?, Row> summarize(Schema measures);
}
