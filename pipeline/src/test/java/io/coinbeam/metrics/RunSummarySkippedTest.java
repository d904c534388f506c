package io.coinbeam.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coinbeam.catalog.CoinCapStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The run summary's accounting with exchange frames that carry no trades: they balance records read
 * as skipped frames, are said to have been skipped, and a count that still does not add up is
 * reported with the skipped frames in the sum.
 */
class RunSummarySkippedTest {
  private static String print(Map<String, Long> counters, List<String> unbalanced) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    List<String> got =
        new RunSummary(List.of(CoinCapStream.TRADES))
            .print(counters, new PrintStream(bytes, true, StandardCharsets.UTF_8));
    assertEquals(unbalanced, got);
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private static Map<String, Long> trades(long read, long parsed, long dead, long skipped) {
    return Map.of(
        "trades.records_read", read,
        "trades.rows_parsed", parsed,
        "trades.dead_letters", dead,
        "trades.records_skipped", skipped);
  }

  @Test
  void skippedFramesBalanceTheCount() {
    String text = print(trades(10, 6, 1, 3), List.of());
    assertTrue(
        text.contains(
            "trades: 3 exchange-feed frames without trades (acknowledgements, heartbeats, tickers,"
                + " snapshots of past trades, feed errors) were counted and skipped."),
        text);
    assertTrue(text.contains("records read = rows parsed + dead letters + skipped frames"), text);
  }

  @Test
  void aCountThatDoesNotAddUpNamesTheSkippedFramesToo() {
    String text =
        print(
            trades(10, 6, 1, 2),
            List.of("trades: 10 records read, but 6 rows parsed + 1 dead letters + 2 skipped"));
    assertTrue(text.contains("coinbeam: records unaccounted for in trades: 10 records read"), text);
  }

  @Test
  void withoutSkippedFramesTheSummaryReadsAsBefore() {
    String text = print(Map.of("trades.records_read", 7L, "trades.rows_parsed", 7L), List.of());
    assertTrue(
        text.contains(
            "Every record is accounted for: records read = rows parsed + dead letters (a snapshot"
                + " envelope counts as its rows)."),
        text);
    assertTrue(!text.contains("skipped"), text);
  }
}
