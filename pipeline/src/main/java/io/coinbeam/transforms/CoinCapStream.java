package io.coinbeam.transforms;

import io.coinbeam.transforms.aggregate.AssetStats;
import io.coinbeam.transforms.aggregate.ExchangeStats;
import io.coinbeam.transforms.aggregate.MarketStats;
import io.coinbeam.transforms.aggregate.RateStats;
import io.coinbeam.transforms.aggregate.TradeCandles;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/** The five streams, by the names users type ({@code --streams=trades,assets}). */
public enum CoinCapStream {
  TRADES(TradeCandles::new),
  ASSETS(AssetStats::new),
  RATES(RateStats::new),
  EXCHANGES(ExchangeStats::new),
  MARKETS(MarketStats::new);

  private final Supplier<StreamSpec<?>> spec;

  CoinCapStream(Supplier<StreamSpec<?>> spec) {
    this.spec = spec;
  }

  public StreamSpec<?> spec() {
    return spec.get();
  }

  /** The lower-case name used in flags, topics ({@code coincap.<name>}) and folders. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** "Trades", for step names such as ParseTrades. */
  public String title() {
    return name().charAt(0) + id().substring(1);
  }

  /** Parses a comma-separated list such as "trades,assets" or "all". */
  public static List<CoinCapStream> parseList(String names) {
    if (names == null || names.isBlank() || names.trim().equalsIgnoreCase("all")) {
      return List.of(values());
    }
    List<CoinCapStream> streams = new ArrayList<>();
    for (String name : names.split(",")) {
      String wanted = name.trim();
      if (wanted.isEmpty()) {
        continue;
      }
      CoinCapStream stream =
          Arrays.stream(values())
              .filter(s -> s.id().equalsIgnoreCase(wanted))
              .findFirst()
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "unknown stream \""
                              + wanted
                              + "\"; choose from trades, assets, rates, exchanges, markets"));
      if (!streams.contains(stream)) {
        streams.add(stream);
      }
    }
    return streams;
  }
}
