package io.coinbeam.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OutputComparisonTest {
  private static List<Map<String, Object>> rows() {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      rows.add(OutputChecksumTest.candle("binance", 1_715_083_200_000L + i * 60_000L, 3.0 + i, 7));
    }
    return rows;
  }

  @Test
  void identicalRowsInAnotherOrderAreTheSame() {
    List<Map<String, Object>> actual = new ArrayList<>(rows());
    java.util.Collections.reverse(actual);
    OutputComparison.Result result = OutputComparison.compare(rows(), actual);
    assertTrue(result.same());
    assertEquals(0, result.roundedValues());
  }

  @Test
  void doublesWithinOnePartInABillionAreTheSameAndCounted() {
    List<Map<String, Object>> actual = rows();
    actual.get(1).put("volume", 4.0 * (1 + 4e-10));
    actual.get(2).put("vwap", Math.nextUp((Double) actual.get(2).get("vwap")));
    OutputComparison.Result result = OutputComparison.compare(rows(), actual);
    assertTrue(result.same(), result.differences().toString());
    assertEquals(2, result.roundedValues());
  }

  @Test
  void aLargerDifferenceIsReported() {
    List<Map<String, Object>> actual = rows();
    actual.get(1).put("volume", 4.0 * (1 + 3e-9));
    OutputComparison.Result result = OutputComparison.compare(rows(), actual);
    assertFalse(result.same());
    assertEquals(1, result.differences().size());
    assertTrue(result.differences().get(0).contains("volume"), result.differences().toString());
  }

  @Test
  void wholeNumbersMustBeEqual() {
    List<Map<String, Object>> actual = rows();
    actual.get(0).put("buy_count", 4L);
    assertFalse(OutputComparison.compare(rows(), actual).same());
  }

  @Test
  void missingAndExtraRowsAreReported() {
    List<Map<String, Object>> actual = rows();
    actual.remove(4);
    actual.add(OutputChecksumTest.candle("kraken", 1_715_083_200_000L, 3.0, 7));
    OutputComparison.Result result = OutputComparison.compare(rows(), actual);
    assertFalse(result.same());
    assertTrue(result.differences().stream().anyMatch(d -> d.startsWith("unexpected row kraken")));
    assertTrue(result.differences().stream().anyMatch(d -> d.startsWith("missing row binance")));
  }

  @Test
  void fewerRowsAreReported() {
    List<Map<String, Object>> actual = rows();
    actual.remove(0);
    OutputComparison.Result result = OutputComparison.compare(rows(), actual);
    assertFalse(result.same());
    assertEquals("4 rows instead of 5", result.differences().get(0));
  }
}
