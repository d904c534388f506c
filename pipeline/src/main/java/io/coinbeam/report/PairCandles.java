package io.coinbeam.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One pair's candles in time order, with its total volume in USD: what ranks the pairs for the
 * report's charts.
 */
record PairCandles(TradingPair pair, List<Candle> candles, double volumeUsd, long trades) {

  /** The trade_candles columns {@link #top} reads. */
  static final List<String> COLUMNS =
      Stream.concat(Stream.of("exchange", "base", "quote"), Candle.COLUMNS.stream()).toList();

  /**
   * The {@code limit} pairs with the largest summed volume_usd, largest first (ties by pair id, so
   * the choice never depends on file order).
   */
  static List<PairCandles> top(List<StoredRow> tradeCandles, int limit) {
    // Ranked on two columns first; candles are made only for the pairs shown. Hashed, not
    // sorted: the ranking below orders the pairs completely.
    Map<TradingPair, List<Window>> byPair = new HashMap<>();
    for (StoredRow row : tradeCandles) {
      TradingPair pair = new TradingPair(row.text("exchange"), row.text("base"), row.text("quote"));
      byPair.computeIfAbsent(pair, p -> new ArrayList<>()).add(Window.of(row));
    }
    List<Ranked> ranked = new ArrayList<>(byPair.size());
    byPair.forEach((pair, windows) -> ranked.add(Ranked.of(pair, windows)));
    return ranked.stream()
        .sorted(
            Comparator.comparingDouble(Ranked::volumeUsd).reversed().thenComparing(Ranked::pair))
        .limit(limit)
        .map(Ranked::candles)
        .toList();
  }

  /** A row with what orders and ranks it, read once. */
  private record Window(long start, double volumeUsd, StoredRow row) {
    static Window of(StoredRow row) {
      return new Window(row.millis("window_start"), row.number("volume_usd"), row);
    }
  }

  /**
   * A pair's windows in time order and their summed volume (summed in that order, so the same
   * whatever order the files hold them in).
   */
  private record Ranked(TradingPair pair, List<Window> windows, double volumeUsd) {
    static Ranked of(TradingPair pair, List<Window> windows) {
      windows.sort(Comparator.comparingLong(Window::start));
      double volumeUsd = 0;
      for (Window w : windows) {
        volumeUsd += w.volumeUsd();
      }
      return new Ranked(pair, windows, volumeUsd);
    }

    PairCandles candles() {
      List<Candle> candles = new ArrayList<>(windows.size());
      long trades = 0;
      for (Window w : windows) {
        Candle candle = Candle.of(w.row());
        candles.add(candle);
        trades += candle.trades();
      }
      return new PairCandles(pair, List.copyOf(candles), volumeUsd, trades);
    }
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
