package io.coinbeam.model.exchange;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.coinbeam.model.MalformedRecordException;
import io.coinbeam.model.Side;
import io.coinbeam.model.TradeMessage;
import io.coinbeam.testing.FeedCapturesByHand;
import io.coinbeam.testing.SharedFixtures;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every captured exchange frame in {@code ../shared/fixtures/exchanges} is recognised as what it is
 * and its trades normalised: a sample with every value written out by hand (both sides of each
 * feed), and every trade frame against values read from the text with regular expressions, not with
 * the parser under test.
 */
class ExchangeFramesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String DIR = "exchanges/";

  private static ExchangeFrame read(String text) throws Exception {
    return ExchangeFrames.read(JSON.readTree(text));
  }

  private static List<String> lines(String file) throws Exception {
    return Files.readAllLines(SharedFixtures.require(DIR + file)).stream()
        .filter(line -> !line.isBlank())
        .toList();
  }

  private static TradeMessage only(String text) throws Exception {
    ExchangeFrame frame = read(text);
    assertEquals(ExchangeFrame.Kind.TRADES, frame.kind(), text);
    assertEquals(1, frame.trades().size(), text);
    return frame.trades().get(0);
  }

  @Test
  void binanceAggTradeBothSidesByHand() throws Exception {
    List<String> lines = lines("binance_aggTrade_bmoscon-cryptofeed.jsonl");
    // m:true: the buyer was the maker, so the taker sold. FTM is not in the table: kept as FTM.
    assertEquals(
        new TradeMessage(
            "binance-aggtrade", "FTM", "tether", Side.SELL, 0.33993, 99.9, 0.33993, 1628952396572L),
        only(lines.get(0)));
    // m:false: the taker bought. A BTC quote has no USD price in the trade: 0, unknown.
    assertEquals(
        new TradeMessage(
            "binance-aggtrade", "SXP", "bitcoin", Side.BUY, 0.0000748, 39.0, 0.0, 1628952398391L),
        only(lines.get(1)));
  }

  @Test
  void binanceTradeBothSidesByHand() throws Exception {
    List<String> lines = lines("binance_trade_ziyangliu-666-FastMM.jsonl");
    assertEquals(
        new TradeMessage(
            "binance-trade",
            "bitcoin",
            "tether",
            Side.BUY,
            76745.19,
            0.00065,
            76745.19,
            1789295134225L),
        only(lines.get(0)));
    assertEquals(
        new TradeMessage(
            "binance-trade",
            "bitcoin",
            "tether",
            Side.SELL,
            76745.18,
            0.00065,
            76745.18,
            1789295137364L),
        only(lines.get(1)));
  }

  @Test
  void coinbaseMatchBothSidesByHand() throws Exception {
    List<String> lines = lines("coinbase-exchange_match_bmoscon-cryptofeed.jsonl");
    // side is the maker's: a "sell" match is a taker buy. 16:43:37.089723Z -> ...089 ms.
    assertEquals(
        new TradeMessage(
            "coinbase-matches", "SKL", "bitcoin", Side.BUY, 0.00001305, 985.0, 0.0, 1618677817089L),
        only(lines.get(0)));
    assertEquals(
        new TradeMessage(
            "coinbase-matches",
            "SKL",
            "united-states-dollar",
            Side.BUY,
            0.791,
            450.0,
            0.791,
            1618677817121L),
        only(lines.get(1)));
    // line 22 is a "buy" match: the taker sold.
    assertEquals(
        new TradeMessage(
            "coinbase-matches",
            "SKL",
            "bitcoin",
            Side.SELL,
            0.00001305,
            1006.0,
            0.0,
            1618677827750L),
        only(lines.get(21)));
  }

  @Test
  void coinbaseMarketTradesBothSidesByHand() throws Exception {
    List<String> lines = lines("coinbase-advanced_market_trades_bmoscon-cryptofeed.jsonl");
    // line 1 is the snapshot of past trades: not taken.
    ExchangeFrame snapshot = read(lines.get(0));
    assertEquals(ExchangeFrame.Kind.CONTROL, snapshot.kind());
    assertEquals("coinbase market_trades snapshot", snapshot.label());
    // line 3: trade 1068572091, SELL (maker) -> taker BUY.
    assertEquals(
        new TradeMessage(
            "coinbase-market-trades",
            "bitcoin",
            "united-states-dollar",
            Side.BUY,
            65083.67,
            0.01034361,
            65083.67,
            1786309548167L),
        only(lines.get(2)));
    // line 4 holds trade 1068572092, BUY (maker) -> taker SELL.
    ExchangeFrame frame = read(lines.get(3));
    assertTrue(
        frame
            .trades()
            .contains(
                new TradeMessage(
                    "coinbase-market-trades",
                    "bitcoin",
                    "united-states-dollar",
                    Side.SELL,
                    65083.66,
                    0.00171442,
                    65083.66,
                    1786309549205L)),
        frame.trades().toString());
  }

  @Test
  void lastMatchIsSkippedButItsTradeReadsLikeAMatch() throws Exception {
    for (String file :
        List.of(
            "coinbase-exchange_last_match_bmoscon-cryptofeed.jsonl",
            "coinbase-exchange_last_match_ziyangliu-666-FastMM.jsonl")) {
      for (String line : lines(file)) {
        ExchangeFrame frame = read(line);
        assertEquals(ExchangeFrame.Kind.CONTROL, frame.kind(), line);
        assertEquals("coinbase last_match", frame.label());
        JsonNode node = JSON.readTree(line);
        assertEquals(
            expectedCoinbase(line, "coinbase-matches"),
            CoinbaseFrames.trade(node, "coinbase-matches"),
            line);
      }
    }
  }

  @Test
  void everyBinanceTradeFrameAgreesWithItsText() throws Exception {
    int trades = 0;
    for (String file :
        List.of(
            "binance_aggTrade_bmoscon-cryptofeed.jsonl",
            "binance_trade_ziyangliu-666-FastMM.jsonl",
            "binance_combined-stream-session_ziyangliu-666-FastMM.jsonl")) {
      for (String line : lines(file)) {
        ExchangeFrame frame = read(line);
        String event = group(line, "\"e\":\"(\\w+)\"");
        if ("trade".equals(event) || "aggTrade".equals(event)) {
          assertEquals(List.of(expectedBinance(line)), frame.trades(), line);
          trades++;
        } else {
          assertEquals(ExchangeFrame.Kind.CONTROL, frame.kind(), line);
        }
      }
    }
    // 28 aggTrade + 7 trade + the same 7 again inside the whole session file.
    assertEquals(42, trades);
  }

  @Test
  void everyCoinbaseMatchAndMarketTradeAgreesWithItsText() throws Exception {
    int matches = 0;
    for (String line : lines("coinbase-exchange_match_bmoscon-cryptofeed.jsonl")) {
      assertEquals(List.of(expectedCoinbase(line, "coinbase-matches")), read(line).trades());
      matches++;
    }
    assertEquals(97, matches);
    int updates = 0;
    int snapshots = 0;
    for (String line : lines("coinbase-advanced_market_trades_bmoscon-cryptofeed.jsonl")) {
      List<TradeMessage> expected = FeedCapturesByHand.trades(line);
      ExchangeFrame frame = read(line);
      if (line.contains("\"type\":\"snapshot\"")) {
        assertEquals(List.of(), expected);
        assertEquals(100, line.split("\"trade_id\"").length - 1, "the last 100 trades");
        assertEquals(ExchangeFrame.Kind.CONTROL, frame.kind());
        snapshots++;
      } else {
        assertEquals(expected, frame.trades(), line);
        updates += expected.size();
      }
    }
    assertEquals(2, snapshots);
    assertEquals(79, updates);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "binance_control_unidentified-repo-orderbook-aggregation-readme.jsonl",
        "coinbase-advanced_heartbeats_bmoscon-cryptofeed.jsonl",
        "coinbase-advanced_subscriptions_bmoscon-cryptofeed.jsonl",
        "coinbase-advanced_subscribe-sent_bmoscon-cryptofeed.jsonl",
        "coinbase-exchange_heartbeat_ziyangliu-666-FastMM.jsonl",
        "coinbase-exchange_subscriptions_bmoscon-cryptofeed.jsonl",
        "coinbase-exchange_subscriptions_ziyangliu-666-FastMM.jsonl",
        "coinbase-exchange_subscribe-sent_bmoscon-cryptofeed.jsonl",
        "coinbase-exchange_ticker_bmoscon-cryptofeed.jsonl"
      })
  void controlFramesCarryNoTrades(String file) throws Exception {
    for (String line : lines(file)) {
      ExchangeFrame frame = read(line);
      assertEquals(ExchangeFrame.Kind.CONTROL, frame.kind(), line);
      assertEquals(List.of(), frame.trades());
    }
  }

  @Test
  void errorFramesSayWhatTheFeedSaid() throws Exception {
    assertEquals(
        List.of("coinbase error: authentication failure", "coinbase error: authentication failure"),
        labels("coinbase-advanced_error_coinbase-coinbase-advanced-py.jsonl"));
    assertEquals(
        List.of("coinbase error: Failed to subscribe: No channels provided"),
        labels("coinbase-exchange_error_ctubio-Krypto-trading-bot.jsonl"));
    assertEquals(
        List.of("coinbase error: Failed to subscribe:  is not a valid product"),
        labels("coinbase-exchange_error_thrasher-corp-gocryptotrader.jsonl"));
    ExchangeFrame binance = read("{\"code\":2,\"msg\":\"Invalid request\",\"id\":3}");
    assertEquals(ExchangeFrame.Kind.ERROR, binance.kind());
    assertEquals("binance error 2: \"Invalid request\"", binance.label());
  }

  private static List<String> labels(String file) throws Exception {
    List<String> labels = new ArrayList<>();
    for (String line : lines(file)) {
      ExchangeFrame frame = read(line);
      assertEquals(ExchangeFrame.Kind.ERROR, frame.kind(), line);
      labels.add(frame.label());
    }
    return labels;
  }

  @Test
  void aCoinCapMessageIsNotAnExchangeFrame() throws Exception {
    assertNull(
        read(
            "{\"exchange\":\"binance\",\"base\":\"bitcoin\",\"quote\":\"tether\","
                + "\"direction\":\"buy\",\"price\":19365.59,\"volume\":0.07,"
                + "\"timestamp\":1666616454283,\"priceUsd\":19371.06}"));
    assertNull(read("{\"data\":[],\"timestamp\":1666616454283}"));
    assertNull(read("[1,2]"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        // a trade without a price, with a zero size, with an unreadable time, with a bad side
        "{\"e\":\"trade\",\"s\":\"BTCUSDT\",\"q\":\"1\",\"T\":1789295134225,\"m\":true}",
        "{\"stream\":\"x@trade\",\"data\":{\"e\":\"trade\",\"s\":\"BTCUSDT\",\"p\":\"1\","
            + "\"q\":\"0\",\"T\":1789295134225,\"m\":true}}",
        "{\"e\":\"aggTrade\",\"s\":\"BTCUSDT\",\"p\":\"1\",\"q\":\"1\",\"T\":1789295134225}",
        "{\"type\":\"match\",\"product_id\":\"BTC-USD\",\"price\":\"1\",\"size\":\"1\","
            + "\"side\":\"sell\",\"time\":\"yesterday\"}",
        "{\"type\":\"match\",\"product_id\":\"BTC-USD\",\"price\":\"1\",\"size\":\"1\","
            + "\"side\":\"up\",\"time\":\"2026-08-09T21:05:48.1Z\"}",
        "{\"type\":\"match\",\"product_id\":\"BTCUSD\",\"price\":\"1\",\"size\":\"1\","
            + "\"side\":\"buy\",\"time\":\"2026-08-09T21:05:48.1Z\"}",
        "{\"channel\":\"market_trades\",\"events\":[{\"type\":\"update\",\"trades\":"
            + "[{\"product_id\":\"BTC-USD\",\"price\":\"-1\",\"size\":\"1\",\"side\":\"BUY\","
            + "\"time\":\"2026-08-09T21:05:48.1Z\"}]}]}",
        "{\"channel\":\"market_trades\"}",
        "{\"channel\":\"market_trades\",\"events\":[{\"type\":\"other\"}]}"
      })
  void aKnownFrameWithABadTradeIsRefusedWithTheReason(String text) {
    MalformedRecordException e = assertThrows(MalformedRecordException.class, () -> read(text));
    assertTrue(!e.getMessage().isBlank());
  }

  @Test
  void binanceSymbolsSplitByTheLongestQuote() {
    assertEquals(List.of("BTC", "FDUSD"), List.of(AssetSymbols.splitBinance("btcfdusd")));
    assertEquals(List.of("ETH", "BTC"), List.of(AssetSymbols.splitBinance("ETHBTC")));
    assertNull(AssetSymbols.splitBinance("USDT"));
    assertNull(AssetSymbols.splitBinance("ABCXYZ"));
  }

  @Test
  void anUnsplittableBinanceSymbolIsKeptWhole() throws Exception {
    TradeMessage trade =
        only(
            "{\"e\":\"trade\",\"s\":\"ABCXYZ\",\"p\":\"2\",\"q\":\"3\","
                + "\"T\":1789295134225,\"m\":false}");
    assertEquals("ABCXYZ", trade.base());
    assertEquals("?", trade.quote());
    assertEquals(0.0, trade.priceUsd());
  }

  @Test
  void anEmptyUpdateIsAFrameWithoutTrades() throws Exception {
    ExchangeFrame frame =
        read("{\"channel\":\"market_trades\",\"events\":[{\"type\":\"update\",\"trades\":[]}]}");
    assertEquals(ExchangeFrame.Kind.CONTROL, frame.kind());
  }

  private static String group(String text, String regex) {
    return FeedCapturesByHand.group(text, regex);
  }

  private static TradeMessage expectedBinance(String line) {
    return FeedCapturesByHand.binance(line);
  }

  private static TradeMessage expectedCoinbase(String text, String exchange) {
    return FeedCapturesByHand.coinbase(text, exchange);
  }
}
