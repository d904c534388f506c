package io.coinbeam.transforms.aggregate;

import io.coinbeam.catalog.CoinCapStream;
import io.coinbeam.transforms.StreamSpec;

/**
 * Which {@link StreamSpec} summarises each stream of the catalogue. It lives here, beside the
 * specs, so that the catalogue stays free of Beam and the shared transforms never reach down into
 * the per-stream code.
 */
public final class StreamSpecs {
  private StreamSpecs() {}

  /** A new spec of {@code stream}. */
  public static StreamSpec<?> of(CoinCapStream stream) {
    return switch (stream) {
      case TRADES -> new TradeCandles();
      case ASSETS -> new AssetStats();
      case RATES -> new RateStats();
      case EXCHANGES -> new ExchangeStats();
      case MARKETS -> new MarketStats();
    };
  }
}
