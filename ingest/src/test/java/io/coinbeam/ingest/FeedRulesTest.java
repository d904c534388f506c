package io.coinbeam.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coinbeam.ingest.feeds.Feed;
import io.coinbeam.ingest.feeds.FeedConfig;
import io.coinbeam.ingest.feeds.PairWatch;
import io.coinbeam.model.TradeMessage;
import io.coinbeam.testing.FeedCapturesByHand;
import io.coinbeam.testing.SharedFixtures;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The exchange feeds' rules that need no socket: the feed settings, the watch for pairs that never
 * trade, and how a raw frame in a trades archive is keyed and timed for the replay. The feeds on a
 * socket are in {@link SocketIngestTest}.
 */
class FeedRulesTest {
  private final FakeTime time = new FakeTime(Instant.parse("2026-11-21T13:30:00Z"));

  private static List<String> lines(String file) throws Exception {
    return Files.readAllLines(SharedFixtures.require("exchanges/" + file)).stream()
        .filter(l -> !l.isBlank())
        .toList();
  }

  @Test
  void pairWatchReportsEachSilenceOnce() {
    PairWatch watch = new PairWatch(List.of("BTC-USDT", "FOO-USDT"), Duration.ofMinutes(5), time);
    time.advance(Duration.ofMinutes(4));
    watch.traded("bitcoin", "tether");
    watch.traded("bitcoin", "euro"); // not asked for: ignored
    assertEquals(List.of(), watch.newlySilent());
    time.advance(Duration.ofMinutes(2));
    assertEquals(List.of("FOO-USDT"), watch.newlySilent());
    assertEquals(List.of(), watch.newlySilent());
    time.advance(Duration.ofMinutes(4));
    assertEquals(List.of("BTC-USDT"), watch.newlySilent());
    watch.traded("FOO", "tether");
    time.advance(Duration.ofMinutes(6));
    assertEquals(List.of("FOO-USDT"), watch.newlySilent(), "silent anew after trading");
  }

  @Test
  void feedSettingsAreCheckedAndNamed() {
    FeedConfig config =
        FeedConfig.fromEnvironment(
            Map.of("INGEST_FEEDS", "binance, coinbase", "INGEST_PAIRS_COINBASE", "btc-usd"));
    assertEquals(List.of("BTC-USDT", "ETH-USDT"), config.pairs().get(Feed.BINANCE));
    assertEquals(List.of("BTC-USD"), config.pairs().get(Feed.COINBASE));
    assertEquals("wss://stream.binance.com:9443", config.urls().get(Feed.BINANCE));
    assertEquals(false, FeedConfig.fromEnvironment(Map.of()).any());
    for (Map<String, String> bad :
        List.of(
            Map.of("INGEST_FEEDS", "kraken"),
            Map.of("INGEST_FEEDS", "binance", "INGEST_PAIRS", "BTCUSDT"),
            Map.of("INGEST_FEEDS", "binance", "INGEST_FEED_SILENT_AFTER", "soon"))) {
      try {
        FeedConfig.fromEnvironment(bad);
        throw new AssertionError("accepted " + bad);
      } catch (IllegalArgumentException expected) {
        assertTrue(!expected.getMessage().isBlank());
      }
    }
  }

  @Test
  void replayKeysAndTimesARawFrameByItsEarliestTrade() throws Exception {
    String aggTrade = lines("binance_aggTrade_bmoscon-cryptofeed.jsonl").get(0);
    KafkaRow row = CaptureRows.fromTrade(aggTrade);
    assertEquals("binance-aggtrade:FTM:tether", row.key());
    assertEquals(1628952396572L, row.timestampMillis());
    assertEquals(aggTrade, row.value(), "the frame as it came");
    // An update lists its trades newest first: the row takes the earliest.
    String update =
        lines("coinbase-advanced_market_trades_bmoscon-cryptofeed.jsonl").stream()
            .filter(l -> FeedCapturesByHand.trades(l).size() > 1)
            .findFirst()
            .orElseThrow();
    long earliest =
        FeedCapturesByHand.trades(update).stream()
            .mapToLong(TradeMessage::timestampMillis)
            .min()
            .orElseThrow();
    assertEquals(earliest, CaptureRows.fromTrade(update).timestampMillis());
    String heartbeat = lines("coinbase-exchange_heartbeat_ziyangliu-666-FastMM.jsonl").get(0);
    try {
      CaptureRows.fromTrade(heartbeat);
      throw new AssertionError("a heartbeat has no trade to time it by");
    } catch (io.coinbeam.model.MalformedRecordException expected) {
      assertTrue(expected.getMessage().contains("timestamp"), expected.getMessage());
    }
  }
}
