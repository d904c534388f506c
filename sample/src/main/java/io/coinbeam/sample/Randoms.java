package io.coinbeam.sample;

import java.util.SplittableRandom;

/**
 * Seeded randomness that gives the same numbers on every JVM: each part of the generator draws from
 * its own generator derived from the seed and a salt, so adding draws to one part never shifts
 * another; Gaussians use {@link StrictMath}, whose results are fixed by specification (unlike
 * {@link Math}, which may differ by an ulp between JIT and interpreter or platforms).
 */
final class Randoms {
  private Randoms() {}

  /** An independent generator for the part of the output named by {@code salt}. */
  static SplittableRandom forPart(long seed, String salt) {
    long h = 1125899906842597L;
    for (int i = 0; i < salt.length(); i++) {
      h = 31 * h + salt.charAt(i);
    }
    return new SplittableRandom(mix(seed + mix(h)));
  }

  /** A standard normal draw (Marsaglia's polar method). */
  static double gaussian(SplittableRandom random) {
    while (true) {
      double u = 2 * random.nextDouble() - 1;
      double v = 2 * random.nextDouble() - 1;
      double s = u * u + v * v;
      if (s > 0 && s < 1) {
        return u * StrictMath.sqrt(-2 * StrictMath.log(s) / s);
      }
    }
  }

  /** A normal draw cut at +-{@code limit} standard deviations, so no value is absurd. */
  static double gaussian(SplittableRandom random, double limit) {
    double g = gaussian(random);
    return Math.max(-limit, Math.min(limit, g));
  }

  /** Stafford's variant 13 of the MurmurHash3 finaliser: spreads nearby seeds far apart. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
