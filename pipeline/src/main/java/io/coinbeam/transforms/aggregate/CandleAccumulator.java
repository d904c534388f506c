package io.coinbeam.transforms.aggregate;

import io.coinbeam.model.Side;
import io.coinbeam.model.TradeMessage;
import java.io.Serializable;

/** The running state of one candle: first and last trade point, extremes, and exact sums. */
public final class CandleAccumulator implements Serializable {
  private static final long serialVersionUID = 1L;

  TradePoint first;
  TradePoint last;
  double high = Double.NEGATIVE_INFINITY;
  double low = Double.POSITIVE_INFINITY;
  long tradeCount;
  long buyCount;
  final ExactSum volume = new ExactSum();
  final ExactSum volumeUsd = new ExactSum();
  final ExactSum notional = new ExactSum();
  final ExactSum buyVolume = new ExactSum();
  final ExactSum sellVolume = new ExactSum();

  void add(TradeMessage trade) {
    if (first == null || first.compareTrade(trade) < 0) {
      first = TradePoint.of(trade);
    }
    if (last == null || last.compareTrade(trade) > 0) {
      last = TradePoint.of(trade);
    }
    high = Math.max(high, trade.price());
    low = Math.min(low, trade.price());
    tradeCount++;
    volume.add(trade.volume());
    volumeUsd.addProduct(trade.volume(), trade.priceUsd());
    notional.addProduct(trade.price(), trade.volume());
    if (trade.side() == Side.BUY) {
      buyCount++;
      buyVolume.add(trade.volume());
    } else {
      sellVolume.add(trade.volume());
    }
  }

  void merge(CandleAccumulator other) {
    if (other.tradeCount == 0) {
      return;
    }
    if (first == null || TradePoint.ORDER.compare(other.first, first) < 0) {
      first = other.first;
    }
    if (last == null || TradePoint.ORDER.compare(other.last, last) > 0) {
      last = other.last;
    }
    high = Math.max(high, other.high);
    low = Math.min(low, other.low);
    tradeCount += other.tradeCount;
    buyCount += other.buyCount;
    volume.addAll(other.volume);
    volumeUsd.addAll(other.volumeUsd);
    notional.addAll(other.notional);
    buyVolume.addAll(other.buyVolume);
    sellVolume.addAll(other.sellVolume);
  }
}
