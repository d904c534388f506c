package io.coinbeam.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.coinbeam.bench.RampStep.Outcome;
import io.coinbeam.bench.RampStep.Verdict;
import io.coinbeam.model.TradeMessage;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The streaming part's pure pieces: percentiles, the pass rule, the ramp, the load, flags. */
class StreamingRampTest {

  @Test
  void percentilesFollowTheNearestRankRule() {
    long[] values = {50, 10, 40, 20, 30};
    assertEquals(30, Percentiles.of(values, 50)); // ceil(2.5) = 3rd smallest
    assertEquals(50, Percentiles.of(values, 99)); // ceil(4.95) = 5th
    assertEquals(10, Percentiles.of(values, 20)); // ceil(1.0) = 1st
    assertEquals(20, Percentiles.of(values, 20.1)); // ceil(1.005) = 2nd
    assertEquals(50, Percentiles.of(values, 100));
    assertEquals(7, Percentiles.of(new long[] {7}, 50));
    long[] hundred = new long[100];
    for (int i = 0; i < 100; i++) {
      hundred[i] = 100 - i; // 100 down to 1
    }
    assertEquals(50, Percentiles.of(hundred, 50));
    assertEquals(99, Percentiles.of(hundred, 99));
    assertEquals(50, hundred[50], "the input is not sorted in place");
    assertThrows(IllegalArgumentException.class, () -> Percentiles.of(new long[0], 50));
    assertThrows(IllegalArgumentException.class, () -> Percentiles.of(values, 0));
    assertThrows(IllegalArgumentException.class, () -> Percentiles.of(values, 101));
  }

  @Test
  void aStepPassesWhenEverythingWasSeenAtTheRate() {
    assertEquals(new Outcome(Verdict.PASSED, ""), RampStep.judge(1000, 950.0, 0, List.of(), true));
  }

  @Test
  void aSlowProducerOrALaggingPipelineIsNotSustainedNotAFailure() {
    Outcome slow = RampStep.judge(1000, 949.0, 0, List.of(), true);
    assertEquals(Verdict.NOT_SUSTAINED, slow.verdict());
    assertTrue(slow.reason().contains("949 trades/s"), slow.reason());
    Outcome lagging = RampStep.judge(1000, 1000.0, 1234, List.of("no row for x"), true);
    assertEquals(
        new Outcome(Verdict.NOT_SUSTAINED, "1,234 trades not visible within the drain limit"),
        lagging);
  }

  @Test
  void wrongOutputOrADeadPipelineFailsTheStep() {
    Outcome wrong = RampStep.judge(1000, 1000.0, 0, List.of("a", "b", "c", "d", "e"), true);
    assertEquals(new Outcome(Verdict.FAILED, "output differs: a; b; c (and 2 more)"), wrong);
    assertEquals(Verdict.FAILED, RampStep.judge(1000, 1000.0, 0, List.of(), false).verdict());
    assertEquals(Verdict.FAILED, RampStep.judge(1000, 1000.0, 5, List.of(), false).verdict());
  }

  @Test
  void theSustainedRateIsTheLastPassBeforeTheFirstMiss() {
    RampStep a = step(500, Verdict.PASSED);
    RampStep b = step(2000, Verdict.PASSED);
    RampStep c = step(8000, Verdict.NOT_SUSTAINED);
    RampStep d = step(32000, Verdict.PASSED); // never run after a miss; ignored if it were
    assertEquals(Optional.of(2000), RampStep.sustainedRate(List.of(a, b, c, d)));
    assertEquals(Optional.of(2000), RampStep.sustainedRate(List.of(a, b)));
    assertEquals(Optional.empty(), RampStep.sustainedRate(List.of(c, a)));
    assertEquals(Optional.empty(), RampStep.sustainedRate(List.of()));
    assertEquals(
        "**2,000 trades/s** (did not keep up at 8,000 trades/s: why)",
        StreamingReport.sustained(List.of(a, b, c), null));
    assertEquals(
        "at least **2,000 trades/s** (every step passed; the ramp ends there)",
        StreamingReport.sustained(List.of(a, b), null));
    assertEquals(
        "none (failed at 500 trades/s: why)",
        StreamingReport.sustained(List.of(step(500, Verdict.FAILED)), null));
  }

  @Test
  void aFailedStepIsReportedButNotTimed() {
    RampStep passed =
        new RampStep(
            "flink",
            1000,
            999.6,
            10_000,
            new long[] {400, 900, 1_500},
            new long[] {300, 800, 1_400},
            1_230,
            new Outcome(Verdict.PASSED, ""));
    RampStep failed =
        new RampStep(
            "flink",
            4000,
            4000,
            40_000,
            new long[] {500},
            new long[] {400},
            100,
            new Outcome(Verdict.FAILED, "output differs: x"));
    String[] lines = StreamingReport.table(List.of(passed, failed)).split("\n");
    assertEquals(4, lines.length);
    assertEquals(
        List.of(
            "1,000", "1,000", "10,000", "0.90 s", "1.50 s", "1.50 s", "0.80 s", "1.23 s", "passed"),
        cells(lines[2]));
    assertEquals(
        List.of(
            "4,000", "4,000", "40,000", "-", "-", "-", "-", "-", "**failed**: output differs: x"),
        cells(lines[3]));
  }

  private static List<String> cells(String line) {
    return java.util.Arrays.stream(line.substring(1, line.length() - 1).split("\\|"))
        .map(String::trim)
        .toList();
  }

  @Test
  void aStepAccountsForTheRowsOfItsOwnExchangesOnly() {
    TradeLoad load = new TradeLoad("r1000");
    CandleKey mine = new CandleKey("r1000-kraken", "solana", "euro", 0);
    CandleKey other = new CandleKey("r4000-kraken", "solana", "euro", 0);
    CandleKey warmup = new CandleKey("warmup-binance", "bitcoin", "tether", 0);
    assertEquals(
        java.util.Map.of(mine, 7L),
        StreamingFreshness.stepRows(
            java.util.Map.of(
                mine, new FreshnessLedger.RowState(7, 1),
                other, new FreshnessLedger.RowState(8, 1),
                warmup, new FreshnessLedger.RowState(9, 1)),
            load));
  }

  private static RampStep step(int rate, Verdict verdict) {
    return new RampStep(
        "direct",
        rate,
        rate,
        rate * 10L,
        new long[] {100},
        new long[] {50},
        200,
        new Outcome(verdict, verdict == Verdict.PASSED ? "" : "why"));
  }

  @Test
  void theLoadIsValidDistinctAndSpreadOverSixtyPairs() throws Exception {
    TradeLoad load = new TradeLoad("r500");
    ObjectMapper json = new ObjectMapper();
    Set<String> keys = new HashSet<>();
    Set<String> trades = new HashSet<>();
    long t = 1_715_083_200_000L;
    for (long seq = 0; seq < 3 * TradeLoad.KEYS; seq++) {
      TradeLoad.Trade trade = load.trade(seq, t); // all at the same millisecond
      TradeMessage parsed = TradeMessage.parse(json.readTree(trade.json()));
      assertEquals(trade.exchange(), parsed.exchange());
      assertEquals(t, parsed.timestampMillis());
      assertTrue(parsed.exchange().startsWith("r500-"), parsed.exchange());
      assertEquals(parsed.exchange() + ":" + parsed.base() + ":" + parsed.quote(), trade.key());
      keys.add(trade.key());
      trades.add(parsed.price() + "/" + parsed.volume() + "/" + parsed.side() + "/" + trade.key());
    }
    assertEquals(TradeLoad.KEYS, keys.size());
    assertEquals(3 * TradeLoad.KEYS, trades.size(), "no two trades alike");
    assertEquals(
        List.of("r500-binance", "r500-coinbase", "r500-kraken", "r500-bitstamp"), load.exchanges());
    assertEquals(
        new CandleKey("r500-binance", "bitcoin", "tether", 1_715_083_200_000L),
        load.trade(0, t + 59_999).candle());
    assertThrows(IllegalArgumentException.class, () -> new TradeLoad("R 1"));
  }

  @Test
  void thePacerSendsTheFirstAtOnceThenOneEveryIntervalUpToTheTotal() {
    assertEquals(0, TradeLoad.dueBy(1000, -1, 100));
    assertEquals(1, TradeLoad.dueBy(1000, 0, 100));
    assertEquals(1, TradeLoad.dueBy(1000, 999_999, 100));
    assertEquals(2, TradeLoad.dueBy(1000, 1_000_000, 100));
    assertEquals(51, TradeLoad.dueBy(1000, 50_000_000, 100));
    assertEquals(100, TradeLoad.dueBy(1000, 5_000_000_000L, 100));
    assertEquals(32_001, TradeLoad.dueBy(32_000, 1_000_000_000L, 1_000_000));
  }

  @Test
  void streamingFlagsParse() {
    BenchSettings.Streaming quick = BenchSettings.parse(new String[] {"--quick"}).streaming();
    assertEquals(
        new BenchSettings.Streaming(
            true, false, List.of(500, 4000), 8, 10, List.of("direct", "flink", "spark"), 0),
        quick);
    BenchSettings.Streaming full = BenchSettings.parse(new String[0]).streaming();
    assertEquals(List.of(500, 2000, 8000, 32000, 64000, 128000), full.rates());
    assertEquals(30, full.seconds());
    assertEquals(20, full.warmupSeconds());
    BenchSettings.Streaming chosen =
        BenchSettings.parse(
                new String[] {
                  "--streaming-only",
                  "--streaming-rates=4000, 1000,4000",
                  "--streaming-seconds=5",
                  "--streaming-drain-seconds=7",
                  "--streaming-runners=flink,direct,flink",
                  "--streaming-warmup-seconds=3"
                })
            .streaming();
    assertEquals(
        new BenchSettings.Streaming(
            true, true, List.of(1000, 4000), 5, 7, List.of("flink", "direct"), 3),
        chosen);
    assertEquals(
        false, BenchSettings.parse(new String[] {"--streaming=false"}).streaming().enabled());
    for (String bad :
        List.of(
            "--streaming=maybe",
            "--streaming-rates=0",
            "--streaming-rates=,",
            "--streaming-seconds=x",
            "--streaming-runners=samza",
            "--streaming-warmup-seconds=-1")) {
      assertThrows(
          IllegalArgumentException.class, () -> BenchSettings.parse(new String[] {bad}), bad);
    }
  }

  @Test
  void stepsBeyondTheProducersOwnLimitAreSaidToMeasureTheProducer() {
    assertEquals(
        "The producer alone (3 s flat out after a 2 s warm-up, before the runner started, to a"
            + " topic no pipeline reads) sent 100,000 trades/s. Steps at 128,000 trades/s are beyond what it can"
            + " send on this machine: they cannot pass, and say nothing about the runner.\n\n",
        StreamingReport.producerLimit(100_000, List.of(32_000, 64_000, 128_000)));
    // 95 % of the limit is what a step needs: 96,000 is out of reach at a limit of 100,000.
    assertEquals(
        true,
        StreamingReport.producerLimit(100_000, List.of(96_000))
            .contains("Steps at 96,000 trades/s are beyond"));
    assertEquals(
        "The producer alone (3 s flat out after a 2 s warm-up, before the runner started, to a"
            + " topic no pipeline reads) sent 9,000 trades/s. Every step's target is within its reach.\n\n",
        StreamingReport.producerLimit(9_000, List.of(500, 2000, 8000)));
  }
}
