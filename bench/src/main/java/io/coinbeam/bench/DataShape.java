package io.coinbeam.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One shape of the batch benchmark's input, measured in a section of its own: how many trades per
 * minute over how many pairs, at which sizes. The dense shape is the generator's own market (24
 * pairs with their real shares, hundreds of trades per candle); the sparse one is a capture over
 * hundreds of pairs with a few trades per candle, where per-candle costs (keys, accumulators,
 * output rows) dominate instead of per-trade ones.
 *
 * @param id folder and log names ({@code dense}, {@code sparse})
 * @param sizes trade counts N every chosen contender runs, ascending
 * @param largeSizes larger N, ascending, that only the large-size contenders run (see {@link
 *     BenchSettings#largeContenders})
 * @param tradesPerMinute the generated market's trade rate: N trades span N / rate minutes
 * @param pairs 0 for the generator's own markets, P for P pairs of equal share
 */
public record DataShape(
    String id, List<Long> sizes, List<Long> largeSizes, int tradesPerMinute, int pairs) {

  public DataShape {
    if (sizes.isEmpty()) {
      throw new IllegalArgumentException(id + ": name at least one size");
    }
    if (!largeSizes.isEmpty() && largeSizes.get(0) <= sizes.get(sizes.size() - 1)) {
      throw new IllegalArgumentException(
          id + ": the large sizes must be above the largest of the sizes every contender runs");
    }
    sizes = List.copyOf(sizes);
    largeSizes = List.copyOf(largeSizes);
  }

  /** Every size, ascending: the common ones, then the large ones. */
  List<Long> allSizes() {
    List<Long> all = new ArrayList<>(sizes);
    all.addAll(largeSizes);
    return List.copyOf(all);
  }

  /** The largest size every contender runs: where the ratios of the headline are read. */
  long headlineSize() {
    return sizes.get(sizes.size() - 1);
  }

  boolean isLarge(long n) {
    return largeSizes.contains(n);
  }

  /** Trades per candle if every pair traded every minute: rate / pairs (rate / 24 when dense). */
  double tradesPerCandle() {
    return tradesPerMinute / (double) (pairs > 0 ? pairs : 24);
  }

  /** The section title. */
  String title() {
    return pairs == 0
        ? "Batch throughput: trade_candles end to end"
        : String.format(
            Locale.ROOT,
            "Batch throughput, sparse shape: %d pairs, about %.0f trades per candle",
            pairs,
            tradesPerCandle());
  }
}
