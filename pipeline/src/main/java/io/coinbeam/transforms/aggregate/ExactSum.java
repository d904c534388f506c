package io.coinbeam.transforms.aggregate;

import java.io.Serializable;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Arrays;

/**
 * The exact sum of doubles, rounded once at the end (Shewchuk's non-overlapping partials, as in
 * Python's {@code math.fsum}). Runners merge partial sums in whatever order their bundles arrive; a
 * plain double sum would then differ in its last bits between runs and runners, this one cannot.
 * Products are added exactly too, split with a fused multiply-add.
 */
public final class ExactSum implements Serializable {
  private static final long serialVersionUID = 1L;

  /** 40 digits: far beyond a double's 17, so the final rounding to double decides alone. */
  private static final MathContext QUOTIENT_PRECISION = new MathContext(40, RoundingMode.HALF_EVEN);

  // Package-private for ExactSumCoder, which ships exactly this state.
  double[] partials = new double[4];
  int size;

  public void add(double x) {
    int i = 0;
    for (int j = 0; j < size; j++) {
      double y = partials[j];
      if (Math.abs(x) < Math.abs(y)) {
        double t = x;
        x = y;
        y = t;
      }
      double hi = x + y;
      double lo = y - (hi - x);
      if (lo != 0.0) {
        partials[i++] = lo;
      }
      x = hi;
    }
    if (i == partials.length) {
      partials = Arrays.copyOf(partials, partials.length * 2);
    }
    partials[i] = x;
    size = i + 1;
  }

  /** Adds {@code a * b} exactly (the product's rounding error is added as its own term). */
  public void addProduct(double a, double b) {
    double product = a * b;
    add(product);
    add(Math.fma(a, b, -product));
  }

  public void addAll(ExactSum other) {
    for (int j = 0; j < other.size; j++) {
      add(other.partials[j]);
    }
  }

  /** The exact sum, unrounded. */
  public BigDecimal exact() {
    BigDecimal sum = BigDecimal.ZERO;
    for (int j = 0; j < size; j++) {
      sum = sum.add(new BigDecimal(partials[j]));
    }
    return sum;
  }

  /**
   * This sum divided by {@code divisor}'s, rounded once. Dividing the two rounded sums would round
   * three times and can land outside the range of the values averaged (a single trade at 0.1 with
   * volume 3 would get a VWAP above its own price).
   */
  public double dividedBy(ExactSum divisor) {
    return exact().divide(divisor.exact(), QUOTIENT_PRECISION).doubleValue();
  }

  /** This sum divided by a count (a mean), rounded once. */
  public double dividedBy(long count) {
    return exact().divide(BigDecimal.valueOf(count), QUOTIENT_PRECISION).doubleValue();
  }

  /** The exact sum, correctly rounded to the nearest double. */
  public double value() {
    int n = size;
    if (n == 0) {
      return 0.0;
    }
    double hi = partials[--n];
    double lo = 0.0;
    while (n > 0) {
      double x = hi;
      double y = partials[--n];
      hi = x + y;
      double yr = hi - x;
      lo = y - yr;
      if (lo != 0.0) {
        break;
      }
    }
    // Round half to even across the remaining partials, as fsum does.
    if (n > 0 && ((lo < 0.0 && partials[n - 1] < 0.0) || (lo > 0.0 && partials[n - 1] > 0.0))) {
      double y = lo * 2.0;
      double x = hi + y;
      double yr = x - hi;
      if (y == yr) {
        hi = x;
      }
    }
    return hi;
  }
}
