package io.coinbeam.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One pair's candles in time order, with its total volume in USD: what ranks the pairs for the
 * report's charts.
 */
record PairCandles(TradingPair pair, List<Candle> candles, double volumeUsd, long trades) {

  /**
   * The {@code limit} pairs with the largest summed volume_usd, largest first (ties by pair id, so
   * the choice never depends on file order).
   */
  static List<PairCandles> top(List<StoredRow> tradeCandles, int limit) {
    // Hashed, not sorted: the ranking below orders the pairs completely.
    Map<TradingPair, List<Candle>> byPair = new HashMap<>();
    for (StoredRow row : tradeCandles) {
      TradingPair pair = new TradingPair(row.text("exchange"), row.text("base"), row.text("quote"));
      byPair.computeIfAbsent(pair, p -> new ArrayList<>()).add(Candle.of(row));
    }
    Map<TradingPair, PairCandles> all = new LinkedHashMap<>();
    byPair.forEach(
        (pair, candles) -> {
          candles.sort(Comparator.comparingLong(Candle::windowStart));
          double volumeUsd = 0;
          long trades = 0;
          for (Candle c : candles) {
            volumeUsd += c.volumeUsd();
            trades += c.trades();
          }
          all.put(pair, new PairCandles(pair, List.copyOf(candles), volumeUsd, trades));
        });
    return all.values().stream()
        .sorted(
            Comparator.comparingDouble(PairCandles::volumeUsd)
                .reversed()
                .thenComparing(PairCandles::pair))
        .limit(limit)
        .toList();
  }

  /** The last {@code max} candles, so a long capture still draws readable candles. */
  PairCandles lastWindows(int max) {
    if (candles.size() <= max) {
      return this;
    }
    return new PairCandles(
        pair, candles.subList(candles.size() - max, candles.size()), volumeUsd, trades);
  }
}
