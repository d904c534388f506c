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
   *
   * <p>The quotient of the two rounded sums, or its neighbour, is tried first and kept when an
   * exact residual proves it is the answer (nearly always); only otherwise is the quotient worked
   * out in decimal. Decimal arithmetic on every candle cost a sparse capture (about five trades a
   * candle) a tenth of its run.
   */
  public double dividedBy(ExactSum divisor) {
    double candidate = value() / divisor.value();
    for (int tries = 0; tries < 2; tries++) {
      int side = sideOf(candidate, divisor);
      if (side == 0) {
        return candidate;
      }
      if (side == UNDECIDED) {
        break;
      }
      candidate = side > 0 ? Math.nextUp(candidate) : Math.nextDown(candidate);
    }
    return exact().divide(divisor.exact(), QUOTIENT_PRECISION).doubleValue();
  }

  private static final int UNDECIDED = 2;

  /** This sum divided by a count (a mean), rounded once. */
  public double dividedBy(long count) {
    ExactSum divisor = new ExactSum();
    divisor.add(count); // exact: counts stay far below 2^53
    return dividedBy(divisor);
  }

  /**
   * 0 when the decimal quotient would round to {@code q}: when {@code this / divisor} lies inside
   * {@code q}'s rounding interval with a margin of 2^-70 of its half-width, far more than the
   * 40-digit decimal quotient can move it; else the side of {@code q} the quotient lies on (1
   * above, -1 below). Decided exactly: the residual {@code this - q * divisor} and the interval's
   * edge are sums of exact products (a product with a power of two, or split by a fused
   * multiply-add), so the sign of their difference is known. {@link #UNDECIDED} whenever a product
   * could underflow or overflow, and for zero, infinite or NaN {@code q}: the decimal path decides
   * those.
   */
  private int sideOf(double q, ExactSum divisor) {
    double magnitude = Math.abs(q);
    if (magnitude == 0.0 || !Double.isFinite(q) || divisor.size == 0) {
      return UNDECIDED;
    }
    // Half the gap to the nearer neighbour: the rounding interval's half-width on its narrower
    // side.
    double half =
        Math.min(Math.nextUp(magnitude) - magnitude, magnitude - Math.nextDown(magnitude));
    half /= 2;
    double margin = half * 0x1p-70;
    ExactSum residual = copy();
    for (int j = 0; j < divisor.size; j++) {
      double b = divisor.partials[j];
      if (!productIsExact(q, b)) {
        return UNDECIDED;
      }
      residual.addProduct(-q, b);
    }
    double residualSign = Math.signum(residual.value());
    if (residualSign == 0.0) {
      return 0; // q is the quotient itself
    }
    double divisorSign = Math.signum(divisor.value());
    // |residual| - (half - margin) * |divisor| < 0  <=>  q is the answer with room to spare
    ExactSum excess = new ExactSum();
    for (int i = 0; i < residual.size; i++) {
      excess.add(residualSign * residual.partials[i]);
    }
    for (int j = 0; j < divisor.size; j++) {
      double b = divisorSign * divisor.partials[j];
      double edge = half * b;
      double slack = margin * b;
      if (b != 0.0 && (Math.abs(slack) < Double.MIN_NORMAL || Double.isInfinite(edge))) {
        return UNDECIDED; // a product with a power of two is exact only away from the extremes
      }
      excess.add(-edge);
      excess.add(slack);
    }
    return excess.value() < 0.0 ? 0 : (int) (residualSign * divisorSign);
  }

  /** Whether {@link #addProduct} adds {@code a * b} exactly (no underflow, no overflow). */
  private static boolean productIsExact(double a, double b) {
    double product = Math.abs(a * b);
    return b == 0.0 || (product >= 0x1p-900 && product <= 0x1p900);
  }

  private ExactSum copy() {
    ExactSum copy = new ExactSum();
    copy.partials = Arrays.copyOf(partials, Math.max(partials.length, size + 4));
    copy.size = size;
    return copy;
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
