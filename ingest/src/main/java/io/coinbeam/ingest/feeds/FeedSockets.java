package io.coinbeam.ingest.feeds;

import io.coinbeam.ingest.Backoff;
import io.coinbeam.ingest.CaptureArchive;
import io.coinbeam.ingest.IngestStats;
import io.coinbeam.ingest.ReconnectingSocket;
import io.coinbeam.ingest.RowPublisher;
import io.coinbeam.ingest.Sleeper;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@link ReconnectingSocket} per exchange feed, the machinery the CoinCap sockets use
 * (reconnect with back-off, pongs, the idle rule), given the feed's subscribe messages to send on
 * every connection and its connection lifetime; and a {@link PairWatch} per feed, which {@link
 * #reportSilentPairs} asks (the ingester calls it on a schedule).
 */
public final class FeedSockets {
  private static final Logger LOG = LoggerFactory.getLogger(FeedSockets.class);

  private final FeedConfig config;
  private final HttpClient http;
  private final RowPublisher publisher;
  private final CaptureArchive archive;
  private final IngestStats stats;
  private final Backoff backoff;
  private final Sleeper sleeper;
  private final Clock clock;
  private final Duration idleTimeout;
  private final Map<Feed, PairWatch> watches = new java.util.EnumMap<>(Feed.class);

  public FeedSockets(
      FeedConfig config,
      HttpClient http,
      RowPublisher publisher,
      CaptureArchive archive,
      IngestStats stats,
      Backoff backoff,
      Sleeper sleeper,
      Clock clock,
      Duration idleTimeout) {
    this.config = config;
    this.http = http;
    this.publisher = publisher;
    this.archive = archive;
    this.stats = stats;
    this.backoff = backoff;
    this.sleeper = sleeper;
    this.clock = clock;
    this.idleTimeout = idleTimeout;
  }

  /** The socket of {@code feed} (not started). */
  public synchronized ReconnectingSocket socket(Feed feed) {
    List<String> pairs = config.pairs().get(feed);
    PairWatch watch = new PairWatch(pairs, config.silentAfter(), clock);
    watches.put(feed, watch);
    URI uri = feed.uri(config.urls().get(feed), pairs);
    return new ReconnectingSocket(
        "feed/" + feed.id(),
        http,
        uri,
        uri.toString(),
        Map.of(),
        new FeedHandler(feed, publisher, archive, stats, watch),
        backoff,
        sleeper,
        idleTimeout,
        stats,
        feed.subscribe(pairs),
        feed.maxAge());
  }

  /** Logs and counts ({@code <feed>.silentPairs}) each pair newly silent for too long. */
  public synchronized void reportSilentPairs() {
    watches.forEach(
        (feed, watch) -> {
          for (String pair : watch.newlySilent()) {
            LOG.warn(
                "{}: no trade of {} for {}: check the pair's name (Binance acknowledges symbols"
                    + " it does not list and then sends nothing; Coinbase answers with an error"
                    + " frame, logged above)",
                feed.id(),
                pair,
                config.silentAfter());
            stats.increment(feed.id() + ".silentPairs");
          }
        });
  }
}
