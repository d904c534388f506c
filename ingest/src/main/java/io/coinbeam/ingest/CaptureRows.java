package io.coinbeam.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.coinbeam.catalog.CoinCapStream;
import io.coinbeam.catalog.KafkaTopics;
import io.coinbeam.model.Envelope;
import io.coinbeam.model.JsonFields;
import io.coinbeam.model.MalformedRecordException;
import io.coinbeam.model.TradeMessage;
import io.coinbeam.model.exchange.ExchangeFrame;
import io.coinbeam.model.exchange.ExchangeFrames;
import java.util.ArrayList;
import java.util.List;

/**
 * Captured text into Kafka rows, the one way the ingester and the replay tool share: a REST
 * envelope becomes one row per {@code data[]} element (compact JSON, key = natural id, timestamp =
 * the envelope's), a trades message stays as it is (key {@code exchange:base:quote}, timestamp =
 * its own). Envelopes are read with {@link Envelope#parse}, the pipeline's own reader, so what
 * counts as an envelope here is what batch accepts.
 */
public final class CaptureRows {
  /** As the pipeline's parser: trailing text after a value is an error, not ignored. */
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private CaptureRows() {}

  /**
   * One envelope's rows.
   *
   * @param envelope the envelope as one compact line, for the archive
   */
  public record EnvelopeRows(List<KafkaRow> rows, String envelope, long timestampMillis) {}

  /**
   * Explodes a REST response body.
   *
   * @throws MalformedRecordException when the text is not JSON or not an envelope (including the v2
   *     shutdown body, whose message says so)
   */
  public static EnvelopeRows fromEnvelope(CoinCapStream stream, String text)
      throws MalformedRecordException {
    JsonNode document = readJson(text);
    Envelope envelope = Envelope.parse(document);
    String topic = KafkaTopics.of(stream);
    List<KafkaRow> rows = new ArrayList<>(envelope.rows().size());
    for (JsonNode row : envelope.rows()) {
      rows.add(
          new KafkaRow(topic, RowKeys.of(stream, row), row.toString(), envelope.timestampMillis()));
    }
    return new EnvelopeRows(rows, document.toString(), envelope.timestampMillis());
  }

  /**
   * A trades-socket message, unchanged, keyed and timed; or a raw exchange frame with trades,
   * unchanged, keyed and timed by its earliest trade.
   *
   * @throws MalformedRecordException when it is not a JSON object or has no usable timestamp (a
   *     frame without trades, such as a heartbeat, has none either)
   */
  public static KafkaRow fromTrade(String text) throws MalformedRecordException {
    JsonNode message = readJson(text);
    if (!message.isObject()) {
      throw new MalformedRecordException(
          "expected a trades message (a JSON object), got " + message.getNodeType());
    }
    ExchangeFrame frame = ExchangeFrames.read(message);
    if (frame != null && frame.kind() == ExchangeFrame.Kind.TRADES) {
      // A raw exchange frame in a trades archive: keyed and timed by its earliest trade, so the
      // replay orders it among CoinCap's messages; the pipeline reads the frame itself.
      TradeMessage first = frame.trades().get(0);
      for (TradeMessage trade : frame.trades()) {
        if (trade.timestampMillis() < first.timestampMillis()) {
          first = trade;
        }
      }
      return new KafkaRow(
          KafkaTopics.of(CoinCapStream.TRADES),
          first.exchange() + ":" + first.base() + ":" + first.quote(),
          text,
          first.timestampMillis());
    }
    long timestamp = JsonFields.requiredEpochMillis(message, "timestamp");
    return new KafkaRow(
        KafkaTopics.of(CoinCapStream.TRADES),
        RowKeys.of(CoinCapStream.TRADES, message),
        text,
        timestamp);
  }

  /** Parses JSON text the way the pipeline does, or says why not. */
  static JsonNode readJson(String text) throws MalformedRecordException {
    try {
      JsonNode node = JSON.readTree(text);
      if (node == null || node.isMissingNode()) {
        throw new MalformedRecordException("empty body");
      }
      return node;
    } catch (JsonProcessingException e) {
      String message = String.valueOf(e.getOriginalMessage());
      int cut = message.indexOf('\n');
      throw new MalformedRecordException(
          "not valid JSON: " + (cut > 0 ? message.substring(0, cut) : message));
    }
  }
}
