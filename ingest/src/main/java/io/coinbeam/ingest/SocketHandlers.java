package io.coinbeam.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.coinbeam.catalog.CoinCapStream;
import io.coinbeam.catalog.KafkaTopics;
import io.coinbeam.model.MalformedRecordException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the ingester does with each socket message: trades messages go to Kafka and the archive as
 * they came; prices messages ({@code {"bitcoin":"6929.82",...}}) become one record per asset,
 * stamped with the time they arrived. What cannot be read is rejected (logged, counted, kept), and
 * the socket carries on.
 */
public final class SocketHandlers {
  private static final Logger LOG = LoggerFactory.getLogger(SocketHandlers.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The archive folder (and stream name in counters) of the prices socket. */
  public static final String PRICES = "prices";

  private SocketHandlers() {}

  /** Handles messages of a trades socket ({@code source} e.g. {@code trades/binance}). */
  public static Consumer<String> trades(
      String source, RowPublisher publisher, CaptureArchive archive, IngestStats stats) {
    String stream = CoinCapStream.TRADES.id();
    return message -> {
      KafkaRow row;
      try {
        row = CaptureRows.fromTrade(message);
      } catch (MalformedRecordException e) {
        LOG.warn("{}: unusable message ({}); kept in the rejects file", source, e.getMessage());
        stats.increment(stream + ".rejects");
        archive.reject(stream, source, e.getMessage(), message);
        return;
      }
      archive.append(stream, message);
      publisher.publish(row);
      stats.increment(stream + ".rows");
    };
  }

  /** Handles messages of the v3 prices socket. */
  public static Consumer<String> prices(
      String source,
      RowPublisher publisher,
      CaptureArchive archive,
      IngestStats stats,
      Clock clock) {
    return message -> {
      long now = clock.millis();
      List<KafkaRow> rows;
      try {
        rows = priceRows(message, now);
      } catch (MalformedRecordException e) {
        LOG.warn("{}: unusable message ({}); kept in the rejects file", source, e.getMessage());
        stats.increment(PRICES + ".rejects");
        archive.reject(PRICES, source, e.getMessage(), message);
        return;
      }
      for (KafkaRow row : rows) {
        archive.append(PRICES, row.value());
        publisher.publish(row);
      }
      stats.add(PRICES + ".rows", rows.size());
    };
  }

  /**
   * {@code {"bitcoin":"6929.82"}} into {@code {"asset":"bitcoin","priceUsd":"6929.82","timestamp":
   * now}} rows keyed by asset; prices stay text, as CoinCap sends them.
   */
  static List<KafkaRow> priceRows(String message, long receivedAtMillis)
      throws MalformedRecordException {
    JsonNode prices = CaptureRows.readJson(message);
    if (!prices.isObject() || prices.isEmpty()) {
      throw new MalformedRecordException(
          "expected {\"<asset>\": \"<price>\", ...}, got " + prices.getNodeType());
    }
    List<KafkaRow> rows = new ArrayList<>();
    Iterator<Map.Entry<String, JsonNode>> fields = prices.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      JsonNode price = field.getValue();
      if (!(price.isTextual() || price.isNumber())) {
        throw new MalformedRecordException(
            field.getKey() + ": expected a price, got " + price.getNodeType());
      }
      ObjectNode row = JSON.createObjectNode();
      row.put("asset", field.getKey());
      row.put("priceUsd", price.asText());
      row.put("timestamp", receivedAtMillis);
      rows.add(new KafkaRow(KafkaTopics.PRICES, field.getKey(), row.toString(), receivedAtMillis));
    }
    return rows;
  }
}
