package io.coinbeam.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coinbeam.bench.OutputChecksum.Fingerprint;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class OutputChecksumTest {

  /** A candle as OutputChecksum.readRows gives it: doubles, longs, text, epoch millis. */
  static Map<String, Object> candle(String exchange, long windowStart, double volume, long trades) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("exchange", exchange);
    row.put("base", "bitcoin");
    row.put("quote", "tether");
    row.put("window_start", windowStart);
    row.put("window_end", windowStart + 60_000);
    row.put("open", 63150.12);
    row.put("high", 63190.5);
    row.put("low", 63101.0);
    row.put("close", 63120.75);
    row.put("volume", volume);
    row.put("volume_usd", volume * 63150.0);
    row.put("vwap", 63144.123456789);
    row.put("trade_count", trades);
    row.put("buy_count", trades / 2);
    row.put("sell_count", trades - trades / 2);
    row.put("buy_volume", volume / 2);
    row.put("sell_volume", volume / 2);
    row.put("first_trade_at", windowStart + 15);
    row.put("last_trade_at", windowStart + 59_000);
    row.put("pane_timing", null);
    row.put("pane_index", null);
    return row;
  }

  private static List<Map<String, Object>> candles() {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      rows.add(
          candle(
              i % 2 == 0 ? "binance" : "kraken",
              1_715_083_200_000L + i * 60_000L,
              1.25 + i,
              10 + i));
    }
    return rows;
  }

  @Test
  void rowOrderDoesNotMatter() {
    List<Map<String, Object>> rows = candles();
    List<Map<String, Object>> shuffled = new ArrayList<>(rows);
    Collections.shuffle(shuffled, new Random(7));
    assertNotEquals(rows, shuffled);
    assertEquals(OutputChecksum.of(rows), OutputChecksum.of(shuffled));
  }

  @Test
  void countsRowsAndTrades() {
    Fingerprint fingerprint = OutputChecksum.of(candles());
    assertEquals(50, fingerprint.rows());
    // sum of 10..59
    assertEquals(1725, fingerprint.trades());
    assertEquals(16, fingerprint.checksum().length());
  }

  @Test
  void aRealDifferenceInAnyColumnChangesIt() {
    String original = OutputChecksum.of(candles()).checksum();
    for (String column :
        List.of("volume", "trade_count", "exchange", "window_start", "close", "pane_index")) {
      List<Map<String, Object>> rows = candles();
      Map<String, Object> row = rows.get(17);
      Object value = row.get(column);
      row.put(
          column,
          switch (column) {
            case "volume", "close" -> (Double) value * (1 + 1e-8);
            case "trade_count", "window_start" -> (Long) value + 1;
            case "exchange" -> "coinbase";
            default -> 0L; // pane_index: null becomes 0
          });
      assertNotEquals(original, OutputChecksum.of(rows).checksum(), column);
    }
  }

  @Test
  void aDuplicatedRowIsNotCancelledOut() {
    List<Map<String, Object>> rows = candles();
    List<Map<String, Object>> twice = new ArrayList<>(rows);
    twice.add(rows.get(3));
    twice.add(rows.get(3));
    assertNotEquals(OutputChecksum.of(rows).checksum(), OutputChecksum.of(twice).checksum());
  }

  @Test
  void summationNoiseInTheLastBitsDoesNotChangeIt() {
    List<Map<String, Object>> rows = candles();
    List<Map<String, Object>> noisy = candles();
    for (Map<String, Object> row : noisy) {
      // one ulp away, as a sum in another order gives
      row.put("volume", Math.nextUp((Double) row.get("volume")));
      row.put("vwap", Math.nextDown((Double) row.get("vwap")));
    }
    assertEquals(OutputChecksum.of(rows).checksum(), OutputChecksum.of(noisy).checksum());
  }

  @Test
  void doublesAreRoundedHalfEvenToThirtyThreeSignificantBits() {
    // Expected values worked out independently (Python: round(d * 2**s) / 2**s, half even).
    assertEquals(0.10000000000582077, OutputChecksum.roundToBits(0.1));
    assertEquals(63144.123458862305, OutputChecksum.roundToBits(63144.123456789));
    assertEquals(123456.78904724121, OutputChecksum.roundToBits(123456.78905));
    assertEquals(2.3469999998582125e-05, OutputChecksum.roundToBits(0.00002347));
    // Exact ties (half of the last kept bit, 2^-32 at 1.0) go to the even neighbour.
    assertEquals(1.0, OutputChecksum.roundToBits(1 + 0x1p-33));
    assertEquals(1 + 0x1p-31, OutputChecksum.roundToBits(1 + 3 * 0x1p-33));
    assertEquals(-2.5, OutputChecksum.roundToBits(-2.5));
    assertEquals("0", OutputChecksum.roundedDouble(-0.0));
    assertEquals("0", OutputChecksum.roundedDouble(0.0));
    assertEquals("NaN", OutputChecksum.roundedDouble(Double.NaN));
    assertEquals(Double.toString(0.10000000000582077), OutputChecksum.roundedDouble(0.1));
  }

  @Test
  void aDifferenceOfOnePartInTenBillionIsStillSeen() {
    // The checksum's resolution: 2^-33 is 1.2e-10 relative, so 1e-9 always changes the value.
    for (double d : List.of(0.1, 3.75, 63144.123456789, 1e-5, 987654321.0)) {
      assertNotEquals(
          OutputChecksum.roundedDouble(d), OutputChecksum.roundedDouble(d * (1 + 1e-9)), "" + d);
    }
  }

  @Test
  void canonicalFormNamesEveryColumnAndTakesWholeNumbersExactly() {
    Map<String, Object> row = candle("binance", 1_715_083_200_000L, 2.5, 12);
    String text = OutputChecksum.canonical(row);
    assertTrue(
        text.startsWith("exchange=binance|base=bitcoin|quote=tether|window_start=1715083200000|"));
    assertTrue(text.contains("|trade_count=12|"));
    assertTrue(text.endsWith("|pane_timing=null|pane_index=null|"));
    assertFalse(text.contains("E+"), text);
  }
}
