package io.coinbeam.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coinbeam.bench.FreshnessLedger.RowState;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Freshness bookkeeping on hand-made sends and polls: trade i of a candle is visible from the first
 * poll whose row counts i trades; its freshness is that poll's time minus its send time.
 */
class FreshnessLedgerTest {
  private static final CandleKey BTC = new CandleKey("x-binance", "bitcoin", "tether", 60_000);
  private static final CandleKey ETH = new CandleKey("x-binance", "ethereum", "tether", 60_000);
  private static final CandleKey BTC_NEXT =
      new CandleKey("x-binance", "bitcoin", "tether", 120_000);

  @Test
  void anEmptyLedgerHasNothingToTimeAndNothingToCheck() {
    FreshnessLedger ledger = new FreshnessLedger();
    ledger.observe(Map.of(BTC, new RowState(3, 1000)), 5000);
    assertEquals(0, ledger.sentCount());
    assertEquals(0, ledger.unseen());
    assertArrayEquals(new long[0], ledger.freshnessMillis());
    assertEquals(Optional.empty(), ledger.lastSeenAt());
    assertEquals(List.of(), ledger.differences(Map.of()));
  }

  @Test
  void oneTradeIsFreshFromItsSendToThePollThatSawIt() {
    FreshnessLedger ledger = new FreshnessLedger();
    ledger.sent(BTC, 60_100);
    ledger.observe(Map.of(), 60_200); // not there yet
    assertEquals(1, ledger.unseen());
    ledger.observe(Map.of(BTC, new RowState(1, 61_150)), 61_300);
    assertEquals(0, ledger.unseen());
    assertArrayEquals(new long[] {1_200}, ledger.freshnessMillis());
    assertArrayEquals(new long[] {1_050}, ledger.toWrittenMillis());
    assertEquals(Optional.of(61_300L), ledger.lastSeenAt());
    // Later polls of the same row change nothing.
    ledger.observe(Map.of(BTC, new RowState(1, 62_000)), 63_000);
    assertArrayEquals(new long[] {1_200}, ledger.freshnessMillis());
    assertEquals(Optional.of(61_300L), ledger.lastSeenAt());
  }

  @Test
  void eachPaneMakesTheTradesItNewlyCountsVisible() {
    FreshnessLedger ledger = new FreshnessLedger();
    ledger.sent(BTC, 60_000);
    ledger.sent(ETH, 60_050);
    ledger.sent(BTC, 60_400);
    ledger.sent(BTC, 60_900);
    ledger.sent(BTC_NEXT, 120_000);
    // First pane of BTC counts 2 (sent at 60 000 and 60 400); ETH's row not written yet.
    ledger.observe(Map.of(BTC, new RowState(2, 61_000)), 61_100);
    // Next poll: BTC's count 3, ETH 1, and the next minute's candle 1.
    ledger.observe(
        Map.of(
            BTC, new RowState(3, 62_000),
            ETH, new RowState(1, 61_900),
            BTC_NEXT, new RowState(1, 120_500)),
        122_000);
    // BTC: 1 100 and 700 (first poll), 61 100 (122 000 - 60 900); ETH: 61 950; BTC_NEXT: 2 000.
    assertArrayEquals(new long[] {700, 1_100, 2_000, 61_100, 61_950}, ledger.freshnessMillis());
    // To write: 1 000, 600, 1 100 (BTC), 1 850 (61 900 - 60 050), 500.
    assertArrayEquals(new long[] {500, 600, 1_000, 1_100, 1_850}, ledger.toWrittenMillis());
    assertEquals(0, ledger.unseen());
    assertEquals(List.of(), ledger.differences(Map.of(BTC, 3L, ETH, 1L, BTC_NEXT, 1L)));
  }

  @Test
  void aTradeNeverSeenIsNotTimedAndItsCandleFailsTheCheck() {
    FreshnessLedger ledger = new FreshnessLedger();
    ledger.sent(BTC, 60_000);
    ledger.sent(BTC, 60_500);
    ledger.sent(ETH, 60_600);
    ledger.observe(Map.of(BTC, new RowState(1, 60_800)), 61_000);
    assertEquals(2, ledger.unseen());
    assertArrayEquals(new long[] {1_000}, ledger.freshnessMillis());
    List<String> problems = ledger.differences(Map.of(BTC, 1L));
    assertEquals(2, problems.size(), problems.toString());
    assertTrue(problems.get(0).contains("trade_count 1, 2 trades were sent"), problems.get(0));
    assertTrue(problems.get(1).startsWith("no row for x-binance:ethereum:tether"), problems.get(1));
  }

  @Test
  void aCountAboveWhatWasSentTimesOnlyTheSentTradesAndFailsTheCheck() {
    FreshnessLedger ledger = new FreshnessLedger();
    ledger.sent(BTC, 60_000);
    ledger.observe(Map.of(BTC, new RowState(2, 60_500)), 61_000);
    assertArrayEquals(new long[] {1_000}, ledger.freshnessMillis());
    assertEquals(0, ledger.unseen());
    assertEquals(
        List.of(BTC + " has trade_count 2, 1 trades were sent"),
        ledger.differences(Map.of(BTC, 2L)));
  }

  @Test
  void aRowForACandleNothingWasSentToIsAnExtraRow() {
    FreshnessLedger ledger = new FreshnessLedger();
    ledger.sent(BTC, 60_000);
    assertEquals(
        List.of("row " + ETH + " for a candle no trade was sent to"),
        ledger.differences(Map.of(BTC, 1L, ETH, 4L)));
  }

  @Test
  void aTradeFallsIntoTheMinuteOfItsEventTime() {
    assertEquals(BTC, CandleKey.of("x-binance", "bitcoin", "tether", 60_000));
    assertEquals(BTC, CandleKey.of("x-binance", "bitcoin", "tether", 119_999));
    assertEquals(BTC_NEXT, CandleKey.of("x-binance", "bitcoin", "tether", 120_000));
  }
}
