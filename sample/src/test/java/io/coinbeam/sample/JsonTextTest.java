package io.coinbeam.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The hand-written number formats: what the trade lines and REST rows are made of. */
class JsonTextTest {

  @Test
  void fixedPointDropsTrailingZeros() {
    assertEquals("64119.73", fixed(6411973, 2));
    assertEquals("180", fixed(180, 0));
    assertEquals("1", fixed(100, 2));
    assertEquals("0.005", fixed(5, 3));
    assertEquals("0.0000234612", fixed(234612, 10));
    assertEquals("0", fixed(0, 4));
    assertEquals("9223372036854775807", fixed(Long.MAX_VALUE, 0));
  }

  @Test
  void integerDigitsCountsBeforeTheDecimalPoint() {
    assertEquals(5, JsonText.integerDigits(63150));
    assertEquals(1, JsonText.integerDigits(1));
    assertEquals(0, JsonText.integerDigits(0.5));
    assertEquals(-1, JsonText.integerDigits(0.05));
    assertEquals(-4, JsonText.integerDigits(2.347e-5));
    assertEquals(2, Universe.tickDecimals(63150), "cents for bitcoin");
    assertEquals(10, Universe.tickDecimals(2.347e-5), "ten decimals for shiba-inu");
  }

  @Test
  void fifteenDigitPricesReadBackAsTheSameNumber() {
    SplittableRandom random = new SplittableRandom(1);
    for (int i = 0; i < 100_000; i++) {
      double value = StrictMath.pow(10, -6 + 12 * random.nextDouble());
      int decimals = JsonText.decimalsFor15Digits(value);
      String text = fixed(Math.round(value * JsonText.POW10D[decimals]), decimals);
      double back = Double.parseDouble(text);
      // 15 significant digits, but never more than 18 decimals (the sub-cent asset gets 14).
      assertEquals(value, back, Math.max(value * 1e-14, 1e-18), text);
    }
  }

  @Test
  void restNumbersHaveSixteenDecimals() {
    assertEquals(
        "\"38417.0478200847774256\"".length(), JsonText.restNumber(38417.04782008477).length());
    assertEquals("\"1.0000000000000000\"", JsonText.restNumber(1.0));
    assertEquals("\"30.3718000000000000\"", JsonText.restRounded(30.3718));
    assertEquals("\"-1.5000000000000000\"", JsonText.restNumber(-1.5));
    assertEquals("null", JsonText.restNumber((Double) null));
    assertEquals("\"1\"", JsonText.restWhole(1));
    assertEquals("\"a\\\"b\\\\c\\n\"", JsonText.quote("a\"b\\c\n"));
  }

  private static String fixed(long mantissa, int decimals) {
    byte[] buffer = new byte[64];
    int end = JsonText.putFixed(buffer, 0, mantissa, decimals);
    return new String(buffer, 0, end, StandardCharsets.US_ASCII);
  }
}
