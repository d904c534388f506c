package io.coinbeam.sample;

import java.util.List;
import java.util.SplittableRandom;

/**
 * The USD value of every currency over time: a random walk of the log price, one step per second
 * (pegged currencies are pulled back towards their peg). Each currency draws from its own seeded
 * generator and the walk advances with time only, never with the number of questions asked, so
 * every stream that builds its own model from the same seed sees the same prices: a trade and an
 * {@code /assets} poll at the same moment agree.
 */
final class PriceModel {
  /** Per-second pull of a pegged currency back to its peg (a half-life of about a minute). */
  private static final double PEG_REVERSION = 0.01;

  /** Standard deviations of the walk the start offset is drawn with (about 7 minutes' worth). */
  private static final double WARM_UP = 20;

  private final List<Universe.Currency> currencies;
  private final SplittableRandom[] randoms;
  private final double[] logOffset;
  private final double[] usd;
  private final long startMillis;
  private long second;

  PriceModel(long seed, long startMillis) {
    this.currencies = Universe.CURRENCIES;
    this.startMillis = startMillis;
    int n = currencies.size();
    randoms = new SplittableRandom[n];
    logOffset = new double[n];
    usd = new double[n];
    for (int i = 0; i < n; i++) {
      Universe.Currency currency = currencies.get(i);
      randoms[i] = Randoms.forPart(seed, "price:" + currency.id());
      // Start where some minutes of walking would have led, so the first poll is not a round
      // number; a currency that does not move (the dollar) stays exactly at its value.
      logOffset[i] = currency.sigma() * WARM_UP * Randoms.gaussian(randoms[i], 3);
      usd[i] = currency.startUsd() * StrictMath.exp(logOffset[i]);
    }
  }

  /** Moves the walk forward to the second holding {@code millis}; earlier times change nothing. */
  void advanceTo(long millis) {
    long target = Math.floorDiv(millis - startMillis, 1000);
    while (second < target) {
      step();
      second++;
    }
  }

  /** The USD value of currency {@code index} at the current second. */
  double usd(int index) {
    return usd[index];
  }

  private void step() {
    for (int i = 0; i < usd.length; i++) {
      Universe.Currency currency = currencies.get(i);
      double shock = currency.sigma() * Randoms.gaussian(randoms[i], 5);
      if (currency.pegged()) {
        logOffset[i] = logOffset[i] * (1 - PEG_REVERSION) + shock;
      } else {
        logOffset[i] += shock;
      }
      usd[i] = currency.startUsd() * StrictMath.exp(logOffset[i]);
    }
  }
}
