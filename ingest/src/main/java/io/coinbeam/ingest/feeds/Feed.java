package io.coinbeam.ingest.feeds;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The exchange feeds the ingester can read trades from without a key. A feed is only what differs
 * between them: where to connect, what to send once connected, which pairs to ask for by default,
 * and how long the exchange lets a connection live. Reading frames is shared ({@link
 * io.coinbeam.model.exchange.ExchangeFrames}, the parser batch and streaming use too), and so are
 * reconnecting, pongs, the idle rule and the watch for pairs that never trade ({@link
 * FeedSockets}).
 *
 * <p>Pairs are named {@code BASE-QUOTE} for every feed ({@code BTC-USDT}); each feed writes them as
 * it wants them.
 */
public enum Feed {
  /**
   * Binance Spot raw trades, subscribed in the URL ({@code /stream?streams=btcusdt@trade/...}), so
   * frames come in the combined wrapper and no request has to be answered. Binance acknowledges any
   * symbol and then sends nothing for one it does not list: the pair watch reports those.
   */
  BINANCE("binance", "wss://stream.binance.com:9443", "BTC-USDT,ETH-USDT", "trade"),
  /** Binance Spot aggregate trades, as {@link #BINANCE}. */
  BINANCE_AGG_TRADE(
      "binance-aggtrade", "wss://stream.binance.com:9443", "BTC-USDT,ETH-USDT", "aggTrade"),
  /** Coinbase Exchange: the {@code matches} channel, with {@code heartbeat} to stay open. */
  COINBASE("coinbase", "wss://ws-feed.exchange.coinbase.com", "BTC-USD,ETH-USD", null),
  /** Coinbase Advanced Trade: {@code market_trades}, with {@code heartbeats} to stay open. */
  COINBASE_ADVANCED(
      "coinbase-advanced", "wss://advanced-trade-ws.coinbase.com", "BTC-USD,ETH-USD", null);

  /**
   * Binance closes a connection after 24 hours; the ingester reconnects itself a little before, at
   * a moment of its choosing, rather than lose the frames in flight when the server cuts it.
   */
  static final Duration BINANCE_MAX_AGE = Duration.ofHours(23).plusMinutes(30);

  private final String id;
  private final String defaultUrl;
  private final String defaultPairs;
  private final String binanceStream;

  Feed(String id, String defaultUrl, String defaultPairs, String binanceStream) {
    this.id = id;
    this.defaultUrl = defaultUrl;
    this.defaultPairs = defaultPairs;
    this.binanceStream = binanceStream;
  }

  /** The name users type in {@code FEEDS=}. */
  public String id() {
    return id;
  }

  /** The default base URL. */
  public String defaultUrl() {
    return defaultUrl;
  }

  /** The pairs asked for when none are named. */
  public String defaultPairs() {
    return defaultPairs;
  }

  /** The environment variable that overrides the URL, e.g. {@code FEED_BINANCE_URL}. */
  public String urlVariable() {
    return "FEED_" + name() + "_URL";
  }

  /** The environment variable naming this feed's pairs, e.g. {@code INGEST_PAIRS_BINANCE}. */
  public String pairsVariable() {
    return "INGEST_PAIRS_" + name();
  }

  /** Where to connect for {@code pairs}. */
  public URI uri(String baseUrl, List<String> pairs) {
    String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    if (binanceStream == null) {
      return URI.create(base);
    }
    String streams =
        pairs.stream()
            .map(pair -> pair.replace("-", "").toLowerCase(Locale.ROOT) + "@" + binanceStream)
            .collect(Collectors.joining("/"));
    return URI.create(base + "/stream?streams=" + streams);
  }

  /** The messages to send once connected (none for Binance: the URL subscribes). */
  public List<String> subscribe(List<String> pairs) {
    String products =
        pairs.stream().map(pair -> "\"" + pair + "\"").collect(Collectors.joining(",", "[", "]"));
    return switch (this) {
      case BINANCE, BINANCE_AGG_TRADE -> List.of();
      case COINBASE ->
          List.of(
              "{\"type\":\"subscribe\",\"product_ids\":"
                  + products
                  + ",\"channels\":[\"matches\",\"heartbeat\"]}");
      case COINBASE_ADVANCED ->
          List.of(
              "{\"type\":\"subscribe\",\"product_ids\":"
                  + products
                  + ",\"channel\":\"market_trades\"}",
              "{\"type\":\"subscribe\",\"channel\":\"heartbeats\"}");
    };
  }

  /** How long a connection may live before the ingester replaces it; null: no limit. */
  public Duration maxAge() {
    return binanceStream == null ? null : BINANCE_MAX_AGE;
  }

  /** The feed called {@code id}, case-insensitively. */
  public static Feed of(String id) {
    for (Feed feed : values()) {
      if (feed.id.equalsIgnoreCase(id.trim())) {
        return feed;
      }
    }
    throw new IllegalArgumentException(
        "unknown feed \""
            + id.trim()
            + "\"; choose from binance, binance-aggtrade, coinbase,"
            + " coinbase-advanced");
  }
}
