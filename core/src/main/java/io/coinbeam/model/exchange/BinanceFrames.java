package io.coinbeam.model.exchange;

import com.fasterxml.jackson.databind.JsonNode;
import io.coinbeam.model.JsonFields;
import io.coinbeam.model.MalformedRecordException;
import io.coinbeam.model.Side;
import io.coinbeam.model.TradeMessage;
import java.util.List;

/**
 * Binance Spot market-data frames: {@code <symbol>@trade} and {@code <symbol>@aggTrade} events, raw
 * or in the combined-stream wrapper {@code {"stream":...,"data":...}}, and the replies to requests
 * ({@code {"result":null,"id":1}}, errors {@code {"code":2,"msg":...}}). Any other event (book
 * ticker, depth, {@code serverShutdown}) is a frame without trades.
 */
final class BinanceFrames {
  private BinanceFrames() {}

  /** The frame, or null when {@code frame} has none of Binance's keys. */
  static ExchangeFrame read(JsonNode frame) throws MalformedRecordException {
    JsonNode stream = frame.get("stream");
    JsonNode data = frame.get("data");
    if (stream != null && stream.isTextual() && data != null && data.isObject()) {
      ExchangeFrame inner = event(data);
      return inner != null ? inner : ExchangeFrame.control("binance " + stream.textValue());
    }
    ExchangeFrame event = event(frame);
    if (event != null) {
      return event;
    }
    if (frame.has("result") && frame.has("id")) {
      return ExchangeFrame.control("binance reply");
    }
    if (frame.has("code") && frame.has("msg")) {
      return ExchangeFrame.error("binance error " + frame.get("code") + ": " + frame.get("msg"));
    }
    return null;
  }

  /** An event object ({@code "e":...}), or null when it has no event type. */
  private static ExchangeFrame event(JsonNode event) throws MalformedRecordException {
    JsonNode type = event.get("e");
    if (type == null || !type.isTextual()) {
      return null;
    }
    return switch (type.textValue()) {
      case "trade" -> ExchangeFrame.trades(List.of(trade(event, FeedIds.BINANCE_TRADE)), "trade");
      case "aggTrade" ->
          ExchangeFrame.trades(List.of(trade(event, FeedIds.BINANCE_AGG_TRADE)), "aggTrade");
      default -> ExchangeFrame.control("binance " + type.textValue());
    };
  }

  /**
   * One {@code trade} or {@code aggTrade} event. {@code m} says whether the buyer was the maker, so
   * {@code m:true} is a trade whose aggressor (taker) sold. The time is {@code T}, the trade time
   * ({@code E} is when the event was sent).
   */
  static TradeMessage trade(JsonNode event, String exchange) throws MalformedRecordException {
    String symbol = JsonFields.requiredText(event, "s");
    String[] pair = AssetSymbols.splitBinance(symbol);
    String base = pair == null ? symbol.trim().toUpperCase(java.util.Locale.ROOT) : pair[0];
    String quote = pair == null ? "?" : pair[1];
    double price = JsonFields.requiredNumber(event, "p");
    double volume = JsonFields.requiredNumber(event, "q");
    Boolean buyerIsMaker = JsonFields.optionalBoolean(event, "m");
    if (buyerIsMaker == null) {
      throw new MalformedRecordException("missing m");
    }
    long time = JsonFields.requiredEpochMillis(event, "T");
    return Trades.checked(
        exchange,
        AssetSymbols.assetId(base),
        quote.equals("?") ? quote : AssetSymbols.assetId(quote),
        buyerIsMaker ? Side.SELL : Side.BUY,
        price,
        volume,
        AssetSymbols.priceUsd(quote, price),
        time);
  }
}
