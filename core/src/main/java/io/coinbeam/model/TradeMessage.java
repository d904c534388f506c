package io.coinbeam.model;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;

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

  private static final JsonFactory JSON = new JsonFactory();

  /**
   * The same trade as {@link #parse} gives for the common, well-formed message (a flat JSON object
   * with text names, numbers for price, volume and priceUsd, a whole-number timestamp), read
   * straight from the text without building a JSON tree, which cost a visible share of every run.
   * Null for anything else (a malformed or unusual message, a bad value, a {@code data} field):
   * then {@link #parse} reads it and says what is wrong, so errors read the same either way.
   */
  public static TradeMessage parseSimple(String json) {
    return parseSimple(json, TextCache.NONE);
  }

  /** {@link #parseSimple(String)}, with its texts from (and into) {@code texts}. */
  public static TradeMessage parseSimple(String json, TextCache texts) {
    String exchange = null;
    String base = null;
    String quote = null;
    String direction = null;
    double price = Double.NaN;
    double volume = Double.NaN;
    double priceUsd = Double.NaN;
    long timestamp = 0;
    int seen = 0;
    try (JsonParser parser = JSON.createParser(json)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      JsonToken token;
      while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        JsonToken value = parser.nextToken();
        int bit =
            switch (name) {
              case "exchange" -> 1;
              case "base" -> 2;
              case "quote" -> 4;
              case "direction" -> 8;
              case "price" -> 16;
              case "volume" -> 32;
              case "priceUsd" -> 64;
              case "timestamp" -> 128;
              case "data" -> -1;
              default -> 0;
            };
        if (bit < 0 || (seen & bit) != 0) {
          return null; // an envelope, or a repeated name: the general reader decides
        }
        seen |= bit;
        switch (bit) {
          case 0 -> parser.skipChildren();
          case 1, 2, 4, 8 -> {
            if (value != JsonToken.VALUE_STRING) {
              return null;
            }
            String text =
                texts.of(
                    parser.getTextCharacters(), parser.getTextOffset(), parser.getTextLength());
            if (text.isBlank()) {
              return null;
            }
            switch (bit) {
              case 1 -> exchange = text;
              case 2 -> base = text;
              case 4 -> quote = text;
              default -> direction = text;
            }
          }
          case 128 -> {
            if (value != JsonToken.VALUE_NUMBER_INT
                || parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
              return null;
            }
            timestamp = parser.getLongValue();
          }
          default -> {
            double number = simpleNumber(parser, value);
            if (Double.isNaN(number)) {
              return null;
            }
            switch (bit) {
              case 16 -> price = number;
              case 32 -> volume = number;
              default -> priceUsd = number;
            }
          }
        }
      }
      if (token != JsonToken.END_OBJECT || parser.nextToken() != null || seen != 255) {
        return null;
      }
      String side = direction.trim().toLowerCase(java.util.Locale.ROOT);
      if (!side.equals("buy") && !side.equals("sell") || price <= 0 || volume <= 0) {
        return null;
      }
      if (priceUsd < 0) {
        return null;
      }
      return new TradeMessage(
          exchange,
          base,
          quote,
          side.equals("buy") ? Side.BUY : Side.SELL,
          price,
          volume,
          priceUsd,
          JsonFields.checkedEpochMillis("timestamp", timestamp));
    } catch (IOException | MalformedRecordException e) {
      return null;
    }
  }

  /** A JSON number as the tree reader would give its double; NaN when it would not be simple. */
  private static double simpleNumber(JsonParser parser, JsonToken value) throws IOException {
    double number;
    if (value == JsonToken.VALUE_NUMBER_FLOAT) {
      number = parser.getDoubleValue();
    } else if (value == JsonToken.VALUE_NUMBER_INT
        && parser.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
      number = parser.getLongValue();
    } else {
      return Double.NaN;
    }
    return Double.isFinite(number) && Math.abs(number) <= JsonFields.MAX_MAGNITUDE
        ? number
        : Double.NaN;
  }

  @Override
  public long eventTimeMillis() {
    return timestampMillis;
  }
}
