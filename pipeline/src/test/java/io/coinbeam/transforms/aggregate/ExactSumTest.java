package io.coinbeam.transforms.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.apache.beam.sdk.util.SerializableUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * ExactSum against an independent reference: the exact sum in BigDecimal (every double is an exact
 * binary fraction), rounded to the nearest double with ties to even by comparing exact distances.
 */
class ExactSumTest {

  /** The double nearest to {@code exact}, ties to the even significand; decided in BigDecimal. */
  static double nearest(BigDecimal exact) {
    double guess = exact.doubleValue();
    double best = Double.NaN;
    BigDecimal bestError = null;
    for (double candidate : new double[] {Math.nextDown(guess), guess, Math.nextUp(guess)}) {
      if (!Double.isFinite(candidate)) {
        continue;
      }
      BigDecimal error = new BigDecimal(candidate).subtract(exact).abs();
      int order = bestError == null ? -1 : error.compareTo(bestError);
      if (order < 0 || (order == 0 && (Double.doubleToRawLongBits(candidate) & 1L) == 0)) {
        best = candidate;
        bestError = error;
      }
    }
    return best;
  }

  static BigDecimal exactSum(List<Double> values) {
    BigDecimal sum = BigDecimal.ZERO;
    for (double v : values) {
      sum = sum.add(new BigDecimal(v));
    }
    return sum;
  }

  static ExactSum sumOf(List<Double> values) {
    ExactSum sum = new ExactSum();
    values.forEach(sum::add);
    return sum;
  }

  static double naive(List<Double> values) {
    double sum = 0;
    for (double v : values) {
      sum += v;
    }
    return sum;
  }

  private static void assertSameBits(double expected, double actual, String what) {
    assertEquals(
        Double.doubleToRawLongBits(expected),
        Double.doubleToRawLongBits(actual),
        () -> what + ": expected " + expected + " but was " + actual);
  }

  @Test
  void nothingSumsToZero() {
    assertSameBits(0.0, new ExactSum().value(), "empty");
  }

  @Test
  void cancellationThatPlainDoublesLose() {
    // 1e16 + 1 is not a double (the spacing there is 2), so a plain sum loses the 1:
    // (1e16 + 1) - 1e16 = 1e16 - 1e16 = 0. The exact sum is 1.
    List<Double> values = List.of(1e16, 1.0, -1e16);
    assertSameBits(0.0, naive(values), "naive");
    assertSameBits(1.0, sumOf(values).value(), "exact");
  }

  /** Python's math.fsum test vectors, with the reasoning for each expected value. */
  @Test
  void fsumReferenceVectors() {
    double p53 = Math.scalb(1.0, 53);
    // 2^53 - 0.5 - 2^-54: doubles below 2^53 are 1 apart; the exact value is just under halfway
    // between 2^53 - 1 and 2^53, so it rounds down to 2^53 - 1. Plain summation ties to 2^53.
    check(List.of(p53, -0.5, -Math.scalb(1.0, -54)), p53 - 1.0);
    // With +2^-54 instead it is just over halfway, and rounds up to 2^53.
    check(List.of(p53, -0.5, Math.scalb(1.0, -54)), p53);
    // 2^53 + 1 + 2^-100: doubles above 2^53 are 2 apart; just over halfway, so up to 2^53 + 2.
    check(List.of(p53, 1.0, Math.scalb(1.0, -100)), p53 + 2.0);
    // 2^53 + 10 + 1 + 2^-100 = 2^53 + 11 + tiny: rounds up to 2^53 + 12.
    check(List.of(p53 + 10.0, 1.0, Math.scalb(1.0, -100)), p53 + 12.0);
    // 2^53 - 4 + 0.5 + 2^-54 = 2^53 - 3.5 + tiny: rounds up to 2^53 - 3.
    check(List.of(p53 - 4.0, 0.5, Math.scalb(1.0, -54)), p53 - 3.0);
    // 1e16 + 1 + 1e-16: 1e16 + 1 is a tie between 1e16 and 1e16 + 2; the tiny rest breaks it up.
    check(List.of(1e16, 1.0, 1e-16), 10000000000000002.0);
    // 1 + 1e100 + 1 - 1e100 = 2.
    check(List.of(1.0, 1e100, 1.0, -1e100), 2.0);
    // An exact tie with nothing behind it goes to the even neighbour: 1 + 2^-53 -> 1.
    check(List.of(1.0, Math.scalb(1.0, -53)), 1.0);
    // ... and 1 + 2^-52 + 2^-53 (halfway between 1 + 2^-52 and 1 + 2^-51) -> 1 + 2^-51 (even).
    check(List.of(1.0, Math.scalb(1.0, -52), Math.scalb(1.0, -53)), 1.0 + Math.scalb(1.0, -51));
  }

  @Test
  void telescopingSeriesOfPowers() {
    // sum of (1.7^(i+1) - 1.7^i) for i < 1000, minus 1.7^1000, is -1.7^0 = -1 up to the rounding
    // of each term, which the exact sum keeps: the BigDecimal reference decides.
    List<Double> values = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      values.add(Math.pow(1.7, i + 1) - Math.pow(1.7, i));
    }
    values.add(-Math.pow(1.7, 1000));
    check(values, nearest(exactSum(values)));
  }

  @Test
  void tinyAndHugeMagnitudes() {
    check(List.of(1e300, 1e-300, -1e300), 1e-300);
    check(List.of(Double.MIN_VALUE, Double.MIN_VALUE, Double.MIN_VALUE), 3 * Double.MIN_VALUE);
    check(List.of(Double.MAX_VALUE, 1.0, -Double.MAX_VALUE), 1.0);
    check(List.of(Double.MAX_VALUE), Double.MAX_VALUE);
    check(List.of(1e-8, 1e9, -1e9), 1e-8);
    // Many non-overlapping powers of two: the partials list has to grow past its first size.
    List<Double> spread = new ArrayList<>();
    for (int k = 0; k < 66; k++) {
      spread.add(Math.scalb(1.0, -1000 + 30 * k));
    }
    spread.add(-Math.scalb(1.0, -1000 + 30 * 65));
    check(spread, nearest(exactSum(spread)));
  }

  private static void check(List<Double> values, double expected) {
    assertSameBits(nearest(exactSum(values)), expected, "reference for " + values);
    assertSameBits(expected, sumOf(values).value(), "ExactSum of " + values);
  }

  /** Random values over 120 binary orders of magnitude, with deliberate cancellation. */
  static List<Double> randomValues(Random random, int n) {
    List<Double> values = new ArrayList<>();
    while (values.size() < n) {
      double v = (1.0 + random.nextDouble()) * Math.scalb(1.0, random.nextInt(121) - 60);
      if (random.nextBoolean()) {
        v = -v;
      }
      values.add(v);
      if (random.nextInt(4) == 0) {
        values.add(-v * (1 + Math.ulp(1.0) * random.nextInt(8))); // near-cancelling partner
      }
    }
    return values;
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20})
  void randomSumsAreCorrectlyRounded(long seed) {
    Random random = new Random(seed);
    List<Double> values = randomValues(random, 500 + random.nextInt(1500));
    assertSameBits(nearest(exactSum(values)), sumOf(values).value(), "seed " + seed);
  }

  @Test
  void plainSummationWouldDifferOnTheseInputs() {
    // Proof that the random test has teeth: for some seeds the plain double sum is wrong.
    int naiveWrong = 0;
    for (long seed = 1; seed <= 20; seed++) {
      Random random = new Random(seed);
      List<Double> values = randomValues(random, 500 + random.nextInt(1500));
      if (naive(values) != nearest(exactSum(values))) {
        naiveWrong++;
      }
    }
    assertNotEquals(0, naiveWrong);
  }

  @ParameterizedTest
  @ValueSource(longs = {101, 202, 303, 404, 505})
  void orderOfAdditionDoesNotMatter(long seed) {
    Random random = new Random(seed);
    List<Double> values = randomValues(random, 1000);
    double expected = nearest(exactSum(values));
    List<Double> shuffled = new ArrayList<>(values);
    for (int round = 0; round < 10; round++) {
      Collections.shuffle(shuffled, random);
      assertSameBits(expected, sumOf(shuffled).value(), "shuffle " + round);
    }
    Collections.sort(shuffled);
    assertSameBits(expected, sumOf(shuffled).value(), "ascending");
    Collections.reverse(shuffled);
    assertSameBits(expected, sumOf(shuffled).value(), "descending");
  }

  @ParameterizedTest
  @ValueSource(longs = {7, 77, 777})
  void partialSumsMergedInAnyOrderAndShapeAgree(long seed) {
    Random random = new Random(seed);
    List<Double> values = randomValues(random, 1200);
    double expected = nearest(exactSum(values));
    for (int round = 0; round < 10; round++) {
      List<Double> shuffled = new ArrayList<>(values);
      Collections.shuffle(shuffled, random);
      // Cut into 2..20 random bundles, as a runner might.
      int parts = 2 + random.nextInt(19);
      List<ExactSum> bundles = new ArrayList<>();
      for (int p = 0; p < parts; p++) {
        bundles.add(new ExactSum());
      }
      for (double v : shuffled) {
        bundles.get(random.nextInt(parts)).add(v);
      }
      // Left fold in a random order.
      Collections.shuffle(bundles, random);
      ExactSum folded = new ExactSum();
      bundles.forEach(folded::addAll);
      assertSameBits(expected, folded.value(), "fold, round " + round);
      // Pairwise tree merge (each merge into one side), through Java serialization as a runner
      // would ship accumulators.
      List<ExactSum> level = new ArrayList<>(bundles);
      while (level.size() > 1) {
        List<ExactSum> next = new ArrayList<>();
        for (int i = 0; i + 1 < level.size(); i += 2) {
          ExactSum left = SerializableUtils.clone(level.get(i));
          left.addAll(SerializableUtils.clone(level.get(i + 1)));
          next.add(left);
        }
        if (level.size() % 2 == 1) {
          next.add(level.get(level.size() - 1));
        }
        level = next;
      }
      assertSameBits(expected, level.get(0).value(), "tree, round " + round);
    }
  }

  @Test
  void addAllOfAnEmptySumChangesNothing() {
    ExactSum sum = sumOf(List.of(0.1, 0.2));
    sum.addAll(new ExactSum());
    assertSameBits(nearest(exactSum(List.of(0.1, 0.2))), sum.value(), "0.1 + 0.2");
    // 0.1 + 0.2 exactly is 0.3000000000000000166533453693773481063544750213623046875, whose
    // nearest double is 0.30000000000000004 (the plain sum happens to agree here).
    assertSameBits(0.30000000000000004, sum.value(), "0.1 + 0.2");
  }

  @Test
  void addProductIsExact() {
    // (1 + 2^-30)(1 - 2^-30) = 1 - 2^-60, which rounds to 1.0 as a double. Adding -1 exposes the
    // rounding error: the exact result is -2^-60, a plain product gives 0.
    double a = 1.0 + Math.scalb(1.0, -30);
    double b = 1.0 - Math.scalb(1.0, -30);
    assertSameBits(0.0, a * b - 1.0, "plain");
    ExactSum sum = new ExactSum();
    sum.addProduct(a, b);
    sum.add(-1.0);
    assertSameBits(-Math.scalb(1.0, -60), sum.value(), "exact");
  }

  @ParameterizedTest
  @ValueSource(longs = {31, 32, 33, 34, 35})
  void sumsOfProductsAreCorrectlyRounded(long seed) {
    Random random = new Random(seed);
    BigDecimal exact = BigDecimal.ZERO;
    ExactSum sum = new ExactSum();
    for (int i = 0; i < 500; i++) {
      // price-like x volume-like values, 1e-8 .. 1e9
      double price = (1 + random.nextDouble()) * Math.pow(10, random.nextInt(14) - 8);
      double volume = (1 + random.nextDouble()) * Math.pow(10, random.nextInt(14) - 5);
      if (random.nextInt(3) == 0) {
        price = -price;
      }
      exact = exact.add(new BigDecimal(price).multiply(new BigDecimal(volume)));
      sum.addProduct(price, volume);
    }
    assertSameBits(nearest(exact), sum.value(), "seed " + seed);
  }

  @Test
  void survivesJavaSerializationMidway() {
    ExactSum sum = sumOf(List.of(1e16, 1.0));
    ExactSum copy = SerializableUtils.clone(sum);
    copy.add(-1e16);
    assertSameBits(1.0, copy.value(), "copy");
    assertSameBits(10000000000000001.0 /* rounds to 1e16 */, sum.value(), "original untouched");
  }

  /**
   * The quotient's reference, worked out as ExactSum did before it tried the rounded sums' quotient
   * first: both exact sums in BigDecimal, divided to 40 digits, then to the nearest double.
   */
  private static double decimalQuotient(ExactSum dividend, ExactSum divisor) {
    return dividend
        .exact()
        .divide(divisor.exact(), new MathContext(40, RoundingMode.HALF_EVEN))
        .doubleValue();
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3})
  void quotientsOfSumsOfProductsMatchTheDecimalQuotient(long seed) {
    // VWAP's shape: sum(price * volume) / sum(volume), over a few to many trades and over prices
    // and volumes of very different sizes, so that sums carry several partials.
    Random random = new Random(seed);
    for (int candle = 0; candle < 20_000; candle++) {
      ExactSum notional = new ExactSum();
      ExactSum volume = new ExactSum();
      int trades = 1 + random.nextInt(candle % 10 == 0 ? 200 : 6);
      double scale = Math.pow(10, random.nextInt(16) - 8);
      for (int t = 0; t < trades; t++) {
        double price = scale * (1 + random.nextDouble());
        double size = Math.pow(10, random.nextInt(12) - 6) * random.nextDouble();
        notional.addProduct(price, size);
        volume.add(size);
      }
      String what = "seed " + seed + " candle " + candle;
      assertSameBits(decimalQuotient(notional, volume), notional.dividedBy(volume), what);
    }
  }

  @Test
  void quotientsOnAndNextToAMidpointBetweenDoublesMatchTheDecimalQuotient() {
    // dividend = 3 * m exactly, m the midpoint between two neighbouring doubles: the quotient is
    // a tie, which the 40-digit decimal rounds half to even, and the rounded sums' quotient can
    // only be trusted after an exact check. Then the same a hair above and below the tie.
    double[] lows = {1.0, 0.1, 12345.678, 3.0e-7, 7.0e12};
    for (double low : lows) {
      double gap = Math.nextUp(low) - low;
      for (double hair : new double[] {0.0, 1e-30 * low, -1e-30 * low, gap * 0x1p-60}) {
        ExactSum dividend = new ExactSum();
        dividend.addProduct(3, low);
        dividend.addProduct(3, gap / 2);
        dividend.add(3 * hair);
        ExactSum divisor = new ExactSum();
        divisor.add(3);
        assertSameBits(
            decimalQuotient(dividend, divisor),
            dividend.dividedBy(divisor),
            "tie at " + low + " + " + hair);
      }
    }
  }

  @Test
  void aMeanIsTheDecimalQuotientByTheCount() {
    Random random = new Random(9);
    for (int series = 0; series < 5_000; series++) {
      ExactSum sum = new ExactSum();
      int count = 1 + random.nextInt(50);
      for (int i = 0; i < count; i++) {
        sum.add(random.nextDouble() * Math.pow(10, random.nextInt(10)));
      }
      ExactSum divisor = new ExactSum();
      divisor.add(count);
      assertSameBits(decimalQuotient(sum, divisor), sum.dividedBy(count), "mean of " + count);
    }
  }

  @Test
  void aQuotientBySumsThatCancelToZeroFailsAsTheDecimalQuotientDoes() {
    ExactSum dividend = new ExactSum();
    dividend.add(1.0);
    ExactSum divisor = new ExactSum();
    divisor.add(1e16);
    divisor.add(-1e16);
    assertThrows(ArithmeticException.class, () -> dividend.dividedBy(divisor));
  }

  @Test
  void aQuotientOfNegativeAndTinySumsMatchesTheDecimalQuotient() {
    double[][] cases = {{-2.5, 3.0}, {2.5, -3.0}, {-1e-300, 7.0}, {1e-200, 3e-150}, {1e300, 1e-10}};
    for (double[] c : cases) {
      ExactSum dividend = new ExactSum();
      dividend.add(c[0]);
      dividend.add(c[0] * 1e-20);
      ExactSum divisor = new ExactSum();
      divisor.add(c[1]);
      assertSameBits(
          decimalQuotient(dividend, divisor), dividend.dividedBy(divisor), c[0] + " / " + c[1]);
    }
  }
}
