package io.coinbeam.ingest.feeds;

import io.coinbeam.model.exchange.AssetSymbols;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which of the pairs asked for have gone without a trade for too long. Binance acknowledges a
 * subscription to a symbol it does not list and then sends nothing, and a pair may simply be
 * delisted: without this the ingester would wait on it in silence. Each silent pair is reported
 * once per silence, and again after it has traded and fallen silent anew.
 */
public final class PairWatch {
  private final Clock clock;
  private final Duration silentAfter;
  private final Map<String, String> pairByKey = new LinkedHashMap<>();
  private final Map<String, Long> lastTrade = new LinkedHashMap<>();
  private final Map<String, Boolean> reported = new LinkedHashMap<>();

  /**
   * @param pairs the pairs asked for, {@code BASE-QUOTE}
   * @param silentAfter how long without a trade makes a pair silent
   */
  public PairWatch(List<String> pairs, Duration silentAfter, Clock clock) {
    this.clock = clock;
    this.silentAfter = silentAfter;
    long now = clock.millis();
    for (String pair : pairs) {
      String[] parts = pair.toUpperCase(Locale.ROOT).split("-", 2);
      String key =
          AssetSymbols.assetId(parts[0])
              + "|"
              + (parts.length > 1 ? AssetSymbols.assetId(parts[1]) : "");
      pairByKey.put(key, pair);
      lastTrade.put(key, now);
      reported.put(key, false);
    }
  }

  /** A trade of (base, quote), as the normaliser named them, arrived. */
  public synchronized void traded(String base, String quote) {
    String key = base + "|" + quote;
    if (lastTrade.containsKey(key)) {
      lastTrade.put(key, clock.millis());
      reported.put(key, false);
    }
  }

  /** The pairs silent for longer than the limit and not reported yet; each reported once. */
  public synchronized List<String> newlySilent() {
    long now = clock.millis();
    List<String> silent = new ArrayList<>();
    for (Map.Entry<String, Long> entry : lastTrade.entrySet()) {
      String key = entry.getKey();
      if (now - entry.getValue() > silentAfter.toMillis() && !reported.get(key)) {
        reported.put(key, true);
        silent.add(pairByKey.get(key));
      }
    }
    return silent;
  }
}
