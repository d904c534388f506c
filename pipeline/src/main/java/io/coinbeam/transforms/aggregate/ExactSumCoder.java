package io.coinbeam.transforms.aggregate;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.DoubleCoder;
import org.apache.beam.sdk.util.VarInt;

/**
 * An {@link ExactSum} as its state: the number of partials, then each partial's 8 bytes. Every
 * accumulator that crosses a shuffle carries several sums; Java serialization wrote a class
 * description with each of them, which made the accumulators the largest records of the shuffle.
 * The partials come back bit for bit, so a decoded sum adds and rounds exactly as the original.
 */
public final class ExactSumCoder extends AtomicCoder<ExactSum> {
  private static final long serialVersionUID = 1L;
  private static final ExactSumCoder INSTANCE = new ExactSumCoder();
  private static final DoubleCoder DOUBLE = DoubleCoder.of();

  /** More partials than a sum of doubles can need (their exponents do not overlap). */
  static final int MAX_PARTIALS = 2_100;

  private ExactSumCoder() {}

  public static ExactSumCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(ExactSum sum, OutputStream out) throws IOException {
    if (sum == null) {
      throw new CoderException("cannot encode a null ExactSum");
    }
    VarInt.encode(sum.size, out);
    for (int i = 0; i < sum.size; i++) {
      DOUBLE.encode(sum.partials[i], out);
    }
  }

  @Override
  public ExactSum decode(InputStream in) throws IOException {
    return decodeInto(new ExactSum(), in);
  }

  /** Reads a sum into {@code sum}, which must be empty: for accumulators whose sums are final. */
  ExactSum decodeInto(ExactSum sum, InputStream in) throws IOException {
    int size = VarInt.decodeInt(in);
    if (size < 0 || size > MAX_PARTIALS) {
      throw new CoderException("not an ExactSum: " + size + " partials");
    }
    if (size > sum.partials.length) {
      sum.partials = new double[size];
    }
    for (int i = 0; i < size; i++) {
      sum.partials[i] = DOUBLE.decode(in);
    }
    sum.size = size;
    return sum;
  }

  @Override
  public void verifyDeterministic() {
    // The same sum always has the same partials: Shewchuk's algorithm is deterministic.
  }
}
