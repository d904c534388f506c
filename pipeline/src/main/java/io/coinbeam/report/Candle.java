package io.coinbeam.report;

import java.util.List;

/** One trade_candles row, the part a candlestick chart draws; prices in the quote currency. */
record Candle(
    long windowStart,
    long windowEnd,
    double open,
    double high,
    double low,
    double close,
    double volume,
    double volumeUsd,
    long trades) {

  /** The trade_candles columns a candle is made of. */
  static final List<String> COLUMNS =
      List.of(
          "window_start",
          "window_end",
          "open",
          "high",
          "low",
          "close",
          "volume",
          "volume_usd",
          "trade_count");

  static Candle of(StoredRow row) {
    return new Candle(
        row.millis("window_start"),
        row.millis("window_end"),
        row.number("open"),
        row.number("high"),
        row.number("low"),
        row.number("close"),
        row.number("volume"),
        row.number("volume_usd"),
        row.get("trade_count") instanceof Number n ? n.longValue() : 0);
  }
}
