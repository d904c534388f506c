package io.coinbeam.ingest.feeds;

import io.coinbeam.flags.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which exchange feeds the ingester reads and for which pairs, from the environment like the rest
 * of its settings: {@code INGEST_FEEDS} (e.g. {@code binance,coinbase}; empty: none), {@code
 * INGEST_PAIRS} (pairs for every feed, {@code BTC-USDT,ETH-USDT}), {@code INGEST_PAIRS_<FEED>} (one
 * feed's pairs, winning over INGEST_PAIRS), {@code FEED_<FEED>_URL} (another server, e.g. Binance's
 * testnet), and {@code INGEST_FEED_SILENT_AFTER} (how long a pair may go without a trade before it
 * is reported, default 5m).
 *
 * @param pairs the pairs of each feed read, in the order named
 * @param urls the base URL of each feed read
 */
public record FeedConfig(
    Map<Feed, List<String>> pairs, Map<Feed, String> urls, Duration silentAfter) {

  /** Reads the settings; throws IllegalArgumentException naming what is wrong. */
  public static FeedConfig fromEnvironment(Map<String, String> env) {
    Map<Feed, List<String>> pairs = new EnumMap<>(Feed.class);
    Map<Feed, String> urls = new EnumMap<>(Feed.class);
    for (String id : list(env.getOrDefault("INGEST_FEEDS", ""))) {
      Feed feed = Feed.of(id);
      String named =
          value(env, feed.pairsVariable(), value(env, "INGEST_PAIRS", feed.defaultPairs()));
      List<String> feedPairs = new ArrayList<>();
      for (String pair : list(named)) {
        String upper = pair.toUpperCase(Locale.ROOT);
        if (!upper.matches("[A-Z0-9]+-[A-Z0-9]+")) {
          throw new IllegalArgumentException(
              "pair \"" + pair + "\" for " + feed.id() + " is not BASE-QUOTE, e.g. BTC-USDT");
        }
        feedPairs.add(upper);
      }
      if (feedPairs.isEmpty()) {
        throw new IllegalArgumentException("no pairs named for " + feed.id());
      }
      pairs.put(feed, List.copyOf(feedPairs));
      urls.put(feed, value(env, feed.urlVariable(), feed.defaultUrl()));
    }
    String silent = value(env, "INGEST_FEED_SILENT_AFTER", "5m");
    Duration silentAfter;
    try {
      silentAfter = Durations.parse("INGEST_FEED_SILENT_AFTER", silent);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "INGEST_FEED_SILENT_AFTER=" + silent + " is not a duration; use e.g. 60s or 5m");
    }
    return new FeedConfig(Map.copyOf(pairs), Map.copyOf(urls), silentAfter);
  }

  /** True when at least one feed is to be read. */
  public boolean any() {
    return !pairs.isEmpty();
  }

  private static String value(Map<String, String> env, String name, String fallback) {
    String value = env.get(name);
    return value == null || value.isBlank() ? fallback : value.trim();
  }

  private static List<String> list(String text) {
    List<String> items = new ArrayList<>();
    for (String item : text.split(",")) {
      if (!item.isBlank()) {
        items.add(item.trim());
      }
    }
    return items;
  }
}
