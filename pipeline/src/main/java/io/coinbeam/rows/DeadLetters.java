package io.coinbeam.rows;

import io.coinbeam.schema.TableDefinition;
import java.util.Locale;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.values.Row;
import org.joda.time.Instant;

/** Builds rows of the {@code dead_letters} table, the trace every unusable record leaves. */
public final class DeadLetters {
  /** Payloads longer than this are cut; the error and source still say what and where. */
  public static final int MAX_PAYLOAD_CHARS = 8192;

  private DeadLetters() {}

  /**
   * The file part of the rows of {@code table} that the sink titled {@code sinkTitle} refused, e.g.
   * {@code trade_candles-bigquery-refused}.
   */
  public static String refusedPart(String table, String sinkTitle) {
    return table + "-" + sinkTitle.toLowerCase(Locale.ROOT) + "-refused";
  }

  public static TableDefinition table() {
    return TableDefinition.named("dead_letters");
  }

  public static Schema schema() {
    return BeamSchemas.of(table());
  }

  public static Row of(
      String stream, String source, String payload, String error, long observedAtMillis) {
    String capped =
        payload.length() <= MAX_PAYLOAD_CHARS
            ? payload
            : payload.substring(0, MAX_PAYLOAD_CHARS) + "...[cut]";
    return RowBuilder.of(schema())
        .set("stream", stream)
        .set("source", source)
        .set("payload", capped)
        .set("error", error == null ? "unknown error" : error)
        .set("observed_at", new Instant(observedAtMillis))
        .build();
  }
}
