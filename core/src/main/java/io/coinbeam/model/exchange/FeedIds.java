package io.coinbeam.model.exchange;

/**
 * The {@code exchange} value of trades read straight from an exchange feed: the exchange and the
 * channel, never CoinCap's bare {@code binance} or {@code coinbase}. So the same trades seen
 * through CoinCap and straight from the exchange are two candles side by side rather than one
 * candle counting them twice, and two channels of one exchange that carry the same trades
 * ({@code @trade} and {@code @aggTrade}; Coinbase Exchange and Advanced Trade share one matching
 * engine) never sum into one candle either.
 */
public final class FeedIds {
  public static final String BINANCE_TRADE = "binance-trade";
  public static final String BINANCE_AGG_TRADE = "binance-aggtrade";
  public static final String COINBASE_MATCHES = "coinbase-matches";
  public static final String COINBASE_MARKET_TRADES = "coinbase-market-trades";

  private FeedIds() {}
}
