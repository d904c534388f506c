package io.coinbeam.bench;

/**
 * One {@code trade_candles} row's key as the streaming benchmark tracks it: exchange, pair and the
 * start of its one-minute window, in epoch milliseconds.
 */
public record CandleKey(String exchange, String base, String quote, long windowStartMillis) {
  /** The length of a trades window: the pipeline aggregates trades into one-minute candles. */
  public static final long WINDOW_MILLIS = 60_000L;

  /** The key of the candle a trade at {@code eventMillis} falls into. */
  public static CandleKey of(String exchange, String base, String quote, long eventMillis) {
    return new CandleKey(
        exchange, base, quote, Math.floorDiv(eventMillis, WINDOW_MILLIS) * WINDOW_MILLIS);
  }

  @Override
  public String toString() {
    return exchange
        + ":"
        + base
        + ":"
        + quote
        + "@"
        + java.time.Instant.ofEpochMilli(windowStartMillis);
  }
}
