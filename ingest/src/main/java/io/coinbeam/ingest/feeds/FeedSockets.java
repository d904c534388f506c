package io.coinbeam.ingest.feeds;

import io.coinbeam.ingest.ReconnectingSocket;
import io.coinbeam.ingest.SocketContext;
import java.net.URI;
import java.util.EnumMap;
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
  private final SocketContext context;
  private final Map<Feed, PairWatch> watches = new EnumMap<>(Feed.class);

  public FeedSockets(FeedConfig config, SocketContext context) {
    this.config = config;
    this.context = context;
  }

  /** The socket of {@code feed} (not started). */
  public synchronized ReconnectingSocket socket(Feed feed) {
    List<String> pairs = config.pairs().get(feed);
    PairWatch watch = new PairWatch(pairs, config.silentAfter(), context.clock());
    watches.put(feed, watch);
    URI uri = feed.uri(config.urls().get(feed), pairs);
    return new ReconnectingSocket(
        "feed/" + feed.id(),
        uri,
        uri.toString(),
        Map.of(),
        new FeedHandler(feed, context, watch),
        context,
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
            context.stats().increment(feed.id() + ".silentPairs");
          }
        });
  }
}
