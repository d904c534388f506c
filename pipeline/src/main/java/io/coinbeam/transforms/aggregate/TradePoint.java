package io.coinbeam.transforms.aggregate;

import io.coinbeam.model.TradeMessage;
import java.io.Serializable;
import java.util.Comparator;

/**
 * What a candle keeps of its first and last trade: when, at what price, for what volume. The
 * exchange and pair are the candle's key already; keeping only these three makes a partial candle a
 * few dozen bytes on its way through the shuffle instead of two whole trades.
 */
record TradePoint(long timestampMillis, double price, double volume) implements Serializable {
  /**
   * The trade order of a candle: open is the first trade by (timestamp, price, volume), close the
   * last. Price and volume break ties on time, so open and close do not depend on arrival order.
   */
  static final Comparator<TradePoint> ORDER =
      Comparator.comparingLong(TradePoint::timestampMillis)
          .thenComparingDouble(TradePoint::price)
          .thenComparingDouble(TradePoint::volume);

  static TradePoint of(TradeMessage trade) {
    return new TradePoint(trade.timestampMillis(), trade.price(), trade.volume());
  }

  /**
   * Where {@code trade} stands against this point in the trade order, without a copy of it:
   * negative before, positive after, 0 the same.
   */
  int compareTrade(TradeMessage trade) {
    int byTime = Long.compare(trade.timestampMillis(), timestampMillis);
    if (byTime != 0) {
      return byTime;
    }
    int byPrice = Double.compare(trade.price(), price);
    return byPrice != 0 ? byPrice : Double.compare(trade.volume(), volume);
  }
}
