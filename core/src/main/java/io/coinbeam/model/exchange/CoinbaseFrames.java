package io.coinbeam.model.exchange;

import com.fasterxml.jackson.databind.JsonNode;
import io.coinbeam.model.JsonFields;
import io.coinbeam.model.MalformedRecordException;
import io.coinbeam.model.Side;
import io.coinbeam.model.TradeMessage;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Coinbase frames of both public feeds. The Exchange feed ({@code ws-feed.exchange.coinbase.com})
 * names each frame by {@code type}: {@code match} is a trade; {@code last_match}, {@code
 * subscriptions}, {@code heartbeat}, {@code ticker} carry none to take; {@code error} is an error.
 * The Advanced Trade feed ({@code advanced-trade-ws.coinbase.com}) names each frame by {@code
 * channel}, and a {@code market_trades} frame holds events, each a list of trades.
 *
 * <p>Only trades that happened while subscribed are taken: an Exchange {@code last_match} (the last
 * trade before subscribing, sent again on every subscribe) and an Advanced {@code snapshot} event
 * (the last 100 trades per product, sent again on every subscribe) repeat trades that an earlier
 * connection may already have delivered, and a frame carries no memory of that. Skipping them means
 * a reconnect never counts a trade twice, at the cost of the trades before the first subscribe.
 *
 * <p>In both feeds {@code side} is the MAKER's side, so the taker's direction is the opposite: a
 * {@code sell} match is a taker buy.
 */
final class CoinbaseFrames {
  private CoinbaseFrames() {}

  /** An Exchange-feed frame (or an Advanced Trade error, which also has {@code type}). */
  static ExchangeFrame exchange(JsonNode frame) throws MalformedRecordException {
    String type = JsonFields.optionalText(frame, "type");
    if (type == null) {
      return null;
    }
    return switch (type) {
      case "match" -> ExchangeFrame.trades(List.of(trade(frame, FeedIds.COINBASE_MATCHES)), type);
      case "error" -> ExchangeFrame.error("coinbase error: " + errorText(frame));
      default -> ExchangeFrame.control("coinbase " + type);
    };
  }

  /** An Advanced Trade frame. */
  static ExchangeFrame advanced(JsonNode frame) throws MalformedRecordException {
    String channel = JsonFields.optionalText(frame, "channel");
    if (channel == null) {
      return null;
    }
    if (!channel.equals("market_trades")) {
      return ExchangeFrame.control("coinbase " + channel);
    }
    JsonNode events = frame.get("events");
    if (events == null || !events.isArray()) {
      throw new MalformedRecordException("market_trades: missing events");
    }
    List<TradeMessage> trades = new ArrayList<>();
    boolean snapshot = false;
    for (JsonNode event : events) {
      String type = JsonFields.optionalText(event, "type");
      if ("snapshot".equals(type)) {
        snapshot = true;
        continue;
      }
      JsonNode list = event.get("trades");
      if (!"update".equals(type) || list == null || !list.isArray()) {
        throw new MalformedRecordException(
            "market_trades: expected an update or snapshot event with trades, got type " + type);
      }
      for (JsonNode trade : list) {
        trades.add(trade(trade, FeedIds.COINBASE_MARKET_TRADES));
      }
    }
    if (trades.isEmpty() && snapshot) {
      return ExchangeFrame.control("coinbase market_trades snapshot");
    }
    return ExchangeFrame.trades(trades, "market_trades");
  }

  /** {@code message} and, when present, {@code reason} of an error frame. */
  static String errorText(JsonNode frame) throws MalformedRecordException {
    String message = JsonFields.optionalText(frame, "message");
    String reason = JsonFields.optionalText(frame, "reason");
    return (message == null ? "(no message)" : message) + (reason == null ? "" : ": " + reason);
  }

  /**
   * One trade: a {@code match}/{@code last_match} frame or an element of a market_trades event.
   * Both name it with {@code product_id}, {@code price}, {@code size}, {@code side}, {@code time}.
   */
  static TradeMessage trade(JsonNode trade, String exchange) throws MalformedRecordException {
    String product = JsonFields.requiredText(trade, "product_id");
    int dash = product.indexOf('-');
    if (dash <= 0 || dash == product.length() - 1 || product.indexOf('-', dash + 1) >= 0) {
      throw new MalformedRecordException(
          "product_id: expected BASE-QUOTE, got \"" + product + "\"");
    }
    String base = product.substring(0, dash);
    String quote = product.substring(dash + 1);
    double price = JsonFields.requiredNumber(trade, "price");
    double volume = JsonFields.requiredNumber(trade, "size");
    String makerSide = JsonFields.requiredText(trade, "side").trim().toLowerCase(Locale.ROOT);
    Side taker =
        switch (makerSide) {
          case "sell" -> Side.BUY;
          case "buy" -> Side.SELL;
          default ->
              throw new MalformedRecordException(
                  "side: expected buy or sell, got \"" + makerSide + "\"");
        };
    return Trades.checked(
        exchange,
        AssetSymbols.assetId(base),
        AssetSymbols.assetId(quote),
        taker,
        price,
        volume,
        AssetSymbols.priceUsd(quote, price),
        millis(JsonFields.requiredText(trade, "time")));
  }

  /** RFC 3339 UTC with any number of decimals, as epoch milliseconds (finer digits cut off). */
  static long millis(String time) throws MalformedRecordException {
    try {
      return JsonFields.checkedEpochMillis("time", Instant.parse(time.trim()).toEpochMilli());
    } catch (DateTimeParseException e) {
      throw new MalformedRecordException("time: not an RFC 3339 UTC time: \"" + time + "\"");
    }
  }
}
