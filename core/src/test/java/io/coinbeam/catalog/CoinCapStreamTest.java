package io.coinbeam.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coinbeam.schema.TableDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The catalogue's tables come from streams.tsv, the file the Makefile reads as well. */
class CoinCapStreamTest {

  @Test
  void eachStreamFillsItsTable() {
    assertEquals("trade_candles", CoinCapStream.TRADES.tableName());
    assertEquals("asset_stats", CoinCapStream.ASSETS.tableName());
    assertEquals("rate_stats", CoinCapStream.RATES.tableName());
    assertEquals("exchange_stats", CoinCapStream.EXCHANGES.tableName());
    assertEquals("market_stats", CoinCapStream.MARKETS.tableName());
    for (CoinCapStream stream : CoinCapStream.values()) {
      assertTrue(
          TableDefinition.allNames().contains(stream.tableName()),
          stream + ": " + stream.tableName() + " has no schema file");
      assertEquals(stream.tableName(), stream.table().name());
    }
  }

  @Test
  void idsTopicsAndListsAreUnchanged() {
    assertEquals("trades", CoinCapStream.TRADES.id());
    assertEquals("Trades", CoinCapStream.TRADES.title());
    assertEquals("coincap.trades", CoinCapStream.TRADES.topic());
    assertEquals(CoinCapStream.EXCHANGES, CoinCapStream.of(" Exchanges "));
    assertEquals(List.of(CoinCapStream.values()), CoinCapStream.parseList("all"));
    assertEquals(
        List.of(CoinCapStream.ASSETS, CoinCapStream.TRADES),
        CoinCapStream.parseList("assets,trades,assets"));
    assertTrue(CoinCapStream.ASSETS.isSnapshot());
    assertFalse(CoinCapStream.TRADES.isSnapshot());
  }

  @Test
  void theFileIsReadWithCommentsAndBlankLinesSkipped() {
    Map<CoinCapStream, String> tables =
        CoinCapStream.parseTableNames(
            List.of(
                "# comment",
                "",
                "trades\ttrade_candles",
                "  assets   asset_stats  ",
                "rates rate_stats",
                "exchanges exchange_stats",
                "markets market_stats"),
            "test");
    assertEquals("asset_stats", tables.get(CoinCapStream.ASSETS));
    assertEquals(5, tables.size());
  }

  @Test
  void aFileThatDoesNotNameEveryStreamOnceInOrderIsRefused() {
    List<String> good =
        List.of(
            "trades trade_candles",
            "assets asset_stats",
            "rates rate_stats",
            "exchanges exchange_stats",
            "markets market_stats");
    assertRefused(good.subList(0, 4), "stream line 5 should be \"markets <table>\" but is \"\"");
    assertRefused(
        List.of(good.get(1), good.get(0), good.get(2), good.get(3), good.get(4)),
        "stream line 1 should be \"trades <table>\" but is \"assets asset_stats\"");
    assertRefused(
        List.of(good.get(0), "assets", good.get(2), good.get(3), good.get(4)),
        "stream line 2 should be \"assets <table>\" but is \"assets\"");
    List<String> extra = new ArrayList<>(good);
    extra.add("candles trade_candles");
    assertRefused(extra, "stream line 6 should be \"nothing\" but is \"candles trade_candles\"");
  }

  private static void assertRefused(List<String> lines, String message) {
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class, () -> CoinCapStream.parseTableNames(lines, "streams.tsv"));
    assertEquals("streams.tsv: " + message, e.getMessage());
  }
}
