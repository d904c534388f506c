package io.coinbeam.model;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One message of the CoinCap trades socket ({@code wss://ws.coincap.io/trades/{exchange}}): a
 * single executed trade. Prices are in the quote currency, {@code priceUsd} converts them to
 * dollars.
 */
public record TradeMessage(
    String exchange,
    String base,
    String quote,
    Side side,
    double price,
    double volume,
    double priceUsd,
    long timestampMillis)
    implements Timestamped {

  /** Parses one socket message; the socket sends JSON numbers, strings are accepted as well. */
  public static TradeMessage parse(JsonNode message) throws MalformedRecordException {
    TradeMessage trade =
        new TradeMessage(
            JsonFields.requiredText(message, "exchange"),
            JsonFields.requiredText(message, "base"),
            JsonFields.requiredText(message, "quote"),
            Side.parse(JsonFields.requiredText(message, "direction")),
            JsonFields.requiredNumber(message, "price"),
            JsonFields.requiredNumber(message, "volume"),
            JsonFields.requiredNumber(message, "priceUsd"),
            JsonFields.requiredEpochMillis(message, "timestamp"));
    if (trade.price <= 0) {
      throw new MalformedRecordException("price: must be positive, got " + trade.price);
    }
    if (trade.volume <= 0) {
      throw new MalformedRecordException("volume: must be positive, got " + trade.volume);
    }
    if (trade.priceUsd < 0) {
      throw new MalformedRecordException("priceUsd: must not be negative, got " + trade.priceUsd);
    }
    return trade;
  }

  @Override
  public long eventTimeMillis() {
    return timestampMillis;
  }
}
