package io.coinbeam.report;

/** A market on one exchange, as trade_candles keys it: exchange, base asset, quote asset. */
record TradingPair(String exchange, String base, String quote) implements Comparable<TradingPair> {

  /** {@code exchange:base:quote}, the pair's Kafka key and the id the report's figures carry. */
  String id() {
    return exchange + ":" + base + ":" + quote;
  }

  /** "bitcoin/tether on binance", for titles. */
  String label() {
    return base + "/" + quote + " on " + exchange;
  }

  @Override
  public int compareTo(TradingPair other) {
    return id().compareTo(other.id());
  }
}
