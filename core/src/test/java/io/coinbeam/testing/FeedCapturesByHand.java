package io.coinbeam.testing;

import io.coinbeam.model.Side;
import io.coinbeam.model.TradeMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The trades of the captured exchange frames in {@code ../shared/fixtures/exchanges}, read with
 * regular expressions written for those files, not with the parser under test: the independent side
 * of the tests that check the parser and the candles built from it. Follows the rules in the
 * fixtures' SOURCES.md: Binance {@code m:true} is a taker sell; Coinbase {@code side} is the
 * maker's; {@code last_match} and market_trades snapshots are not taken; times cut to milliseconds.
 */
public final class FeedCapturesByHand {
  /** The fixtures' tickers as CoinCap ids, written out here; unknown ones stay tickers. */
  private static final Map<String, String> IDS =
      Map.ofEntries(
          Map.entry("BTC", "bitcoin"),
          Map.entry("ETH", "ethereum"),
          Map.entry("USDT", "tether"),
          Map.entry("USD", "united-states-dollar"),
          Map.entry("EUR", "euro"),
          Map.entry("GBP", "british-pound-sterling"),
          Map.entry("XMR", "monero"),
          Map.entry("DASH", "dash"));

  private static final Pattern ADVANCED_TRADE =
      Pattern.compile(
          "\\{\"product_id\":\"[^\"]+\",\"trade_id\":\"\\d+\",\"price\":\"[^\"]+\","
              + "\"size\":\"[^\"]+\",\"time\":\"[^\"]+\",\"side\":\"(BUY|SELL)\"\\}");

  private FeedCapturesByHand() {}

  /** The trades one captured line holds (none for a control frame, a snapshot or a last_match). */
  public static List<TradeMessage> trades(String line) {
    String event = group(line, "\"e\":\"(\\w+)\"");
    if ("trade".equals(event) || "aggTrade".equals(event)) {
      return List.of(binance(line));
    }
    if (line.startsWith("{\"type\":\"match\"")) {
      return List.of(coinbase(line, "coinbase-matches"));
    }
    List<TradeMessage> trades = new ArrayList<>();
    if (line.startsWith("{\"channel\":\"market_trades\"")
        && !line.contains("\"type\":\"snapshot\"")) {
      Matcher m = ADVANCED_TRADE.matcher(line);
      while (m.find()) {
        trades.add(coinbase(m.group(), "coinbase-market-trades"));
      }
    }
    return trades;
  }

  /** A Binance trade or aggTrade frame (raw or wrapped) of the fixtures. */
  public static TradeMessage binance(String line) {
    String event = group(line, "\"e\":\"(\\w+)\"");
    String symbol = group(line, "\"s\":\"(\\w+)\"");
    // the fixtures' symbols end in USDT or BTC
    String quote = symbol.endsWith("USDT") ? "USDT" : "BTC";
    String base = symbol.substring(0, symbol.length() - quote.length());
    double price = Double.parseDouble(group(line, "\"p\":\"([0-9.]+)\""));
    return new TradeMessage(
        event.equals("trade") ? "binance-trade" : "binance-aggtrade",
        IDS.getOrDefault(base, base),
        IDS.get(quote),
        line.contains("\"m\":true") ? Side.SELL : Side.BUY,
        price,
        Double.parseDouble(group(line, "\"q\":\"([0-9.]+)\"")),
        quote.equals("USDT") ? price : 0.0,
        Long.parseLong(group(line, "\"T\":(\\d+)")));
  }

  /** A Coinbase match, last_match, or one trade object of a market_trades event. */
  public static TradeMessage coinbase(String text, String exchange) {
    String[] product = group(text, "\"product_id\":\"([A-Z0-9-]+)\"").split("-");
    double price = Double.parseDouble(group(text, "\"price\":\"([0-9.]+)\""));
    String makerSide = group(text, "\"side\":\"(\\w+)\"").toLowerCase(Locale.ROOT);
    return new TradeMessage(
        exchange,
        IDS.getOrDefault(product[0], product[0]),
        IDS.getOrDefault(product[1], product[1]),
        makerSide.equals("sell") ? Side.BUY : Side.SELL,
        price,
        Double.parseDouble(group(text, "\"size\":\"([0-9.]+)\"")),
        product[1].equals("USD") ? price : 0.0,
        epochMillis(group(text, "\"time\":\"([^\"]+)\"")));
  }

  /** {@code 2021-04-17T16:43:37.089723Z}: whole seconds plus the first three decimals. */
  public static long epochMillis(String time) {
    long seconds =
        java.time.LocalDateTime.parse(time.substring(0, 19))
            .toEpochSecond(java.time.ZoneOffset.UTC);
    String fraction = time.substring(19).replace(".", "").replace("Z", "") + "000";
    return seconds * 1000 + Integer.parseInt(fraction.substring(0, 3));
  }

  /** The first group of {@code regex} in {@code text}, or null. */
  public static String group(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    return m.find() ? m.group(1) : null;
  }
}
