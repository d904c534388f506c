package io.coinbeam.ingest.feeds;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.coinbeam.catalog.CoinCapStream;
import io.coinbeam.catalog.KafkaTopics;
import io.coinbeam.ingest.CaptureArchive;
import io.coinbeam.ingest.IngestStats;
import io.coinbeam.ingest.KafkaRow;
import io.coinbeam.ingest.RowPublisher;
import io.coinbeam.ingest.SocketContext;
import io.coinbeam.model.MalformedRecordException;
import io.coinbeam.model.TradeMessage;
import io.coinbeam.model.exchange.ExchangeFrame;
import io.coinbeam.model.exchange.ExchangeFrames;
import java.util.Locale;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the ingester does with each frame of an exchange feed. A frame with trades is archived as it
 * came (the trades archive is batch input, and the batch parser recognises the raw frame) and each
 * of its trades goes to {@code coincap.trades} as a CoinCap-shaped trade message, keyed {@code
 * exchange:base:quote} and timed by the trade, as a CoinCap trades socket's message is. Frames
 * without trades are counted ({@code <feed>.control}); subscribe acknowledgements are logged; error
 * frames are logged and counted ({@code <feed>.errors}); what is no frame of a known feed is
 * rejected as the CoinCap sockets reject bad messages.
 */
public final class FeedHandler implements Consumer<String> {
  private static final Logger LOG = LoggerFactory.getLogger(FeedHandler.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Feed feed;
  private final RowPublisher publisher;
  private final CaptureArchive archive;
  private final IngestStats stats;
  private final PairWatch watch;

  /** Handles {@code feed}'s frames with the context's publisher, archive and counters. */
  public FeedHandler(Feed feed, SocketContext context, PairWatch watch) {
    this.feed = feed;
    this.publisher = context.publisher();
    this.archive = context.archive();
    this.stats = context.stats();
    this.watch = watch;
  }

  @Override
  public void accept(String message) {
    String stream = CoinCapStream.TRADES.id();
    ExchangeFrame frame;
    try {
      frame = ExchangeFrames.read(JSON.readTree(message));
      if (frame == null) {
        throw new MalformedRecordException("not a frame of a known exchange feed");
      }
    } catch (MalformedRecordException | com.fasterxml.jackson.core.JsonProcessingException e) {
      LOG.warn("{}: unusable frame ({}); kept in the rejects file", feed.id(), e.getMessage());
      stats.increment(feed.id() + ".rejects");
      archive.reject(stream, feed.id(), e.getMessage(), message);
      return;
    }
    switch (frame.kind()) {
      case TRADES -> {
        archive.append(stream, message);
        for (TradeMessage trade : frame.trades()) {
          publisher.publish(row(trade));
          watch.traded(trade.base(), trade.quote());
        }
        stats.add(feed.id() + ".trades", frame.trades().size());
      }
      case CONTROL -> {
        stats.increment(feed.id() + ".control");
        if (frame.label().endsWith("subscriptions")) {
          LOG.info("{}: subscribed: {}", feed.id(), message);
          stats.increment(feed.id() + ".acks");
        }
      }
      case ERROR -> {
        LOG.error("{}: the feed reported an error: {}", feed.id(), frame.label());
        stats.increment(feed.id() + ".errors");
      }
    }
  }

  /** The trade as the CoinCap trades socket would send it, keyed and timed as CaptureRows does. */
  static KafkaRow row(TradeMessage trade) {
    ObjectNode message = JSON.createObjectNode();
    message.put("exchange", trade.exchange());
    message.put("base", trade.base());
    message.put("quote", trade.quote());
    message.put("direction", trade.side().name().toLowerCase(Locale.ROOT));
    message.put("price", trade.price());
    message.put("volume", trade.volume());
    message.put("timestamp", trade.timestampMillis());
    message.put("priceUsd", trade.priceUsd());
    return new KafkaRow(
        KafkaTopics.of(CoinCapStream.TRADES),
        trade.exchange() + ":" + trade.base() + ":" + trade.quote(),
        message.toString(),
        trade.timestampMillis());
  }
}
