package io.coinbeam.transforms.aggregate;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.BooleanCoder;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.DoubleCoder;
import org.apache.beam.sdk.coders.VarLongCoder;

/**
 * A running candle as its fields: first and last trade point (time, price, volume), extremes,
 * counts and the exact sums. It replaces Java serialization, which wrote the class descriptions of
 * the accumulator, its two trades and five sums with every partial candle that crossed the shuffle.
 */
public final class CandleAccumulatorCoder extends AtomicCoder<CandleAccumulator> {
  private static final long serialVersionUID = 1L;
  private static final CandleAccumulatorCoder INSTANCE = new CandleAccumulatorCoder();
  private static final BooleanCoder PRESENT = BooleanCoder.of();
  private static final DoubleCoder DOUBLE = DoubleCoder.of();
  private static final VarLongCoder COUNT = VarLongCoder.of();
  private static final ExactSumCoder SUM = ExactSumCoder.of();

  private CandleAccumulatorCoder() {}

  public static CandleAccumulatorCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(CandleAccumulator acc, OutputStream out) throws IOException {
    if (acc == null) {
      throw new CoderException("cannot encode a null CandleAccumulator");
    }
    encodePoint(acc.first, out);
    encodePoint(acc.last, out);
    DOUBLE.encode(acc.high, out);
    DOUBLE.encode(acc.low, out);
    COUNT.encode(acc.tradeCount, out);
    COUNT.encode(acc.buyCount, out);
    SUM.encode(acc.volume, out);
    SUM.encode(acc.volumeUsd, out);
    SUM.encode(acc.notional, out);
    SUM.encode(acc.buyVolume, out);
    SUM.encode(acc.sellVolume, out);
  }

  @Override
  public CandleAccumulator decode(InputStream in) throws IOException {
    CandleAccumulator acc = new CandleAccumulator();
    acc.first = decodePoint(in);
    acc.last = decodePoint(in);
    acc.high = DOUBLE.decode(in);
    acc.low = DOUBLE.decode(in);
    acc.tradeCount = COUNT.decode(in);
    acc.buyCount = COUNT.decode(in);
    SUM.decodeInto(acc.volume, in);
    SUM.decodeInto(acc.volumeUsd, in);
    SUM.decodeInto(acc.notional, in);
    SUM.decodeInto(acc.buyVolume, in);
    SUM.decodeInto(acc.sellVolume, in);
    return acc;
  }

  private static void encodePoint(TradePoint point, OutputStream out) throws IOException {
    PRESENT.encode(point != null, out);
    if (point != null) {
      COUNT.encode(point.timestampMillis(), out);
      DOUBLE.encode(point.price(), out);
      DOUBLE.encode(point.volume(), out);
    }
  }

  private static TradePoint decodePoint(InputStream in) throws IOException {
    if (!PRESENT.decode(in)) {
      return null;
    }
    return new TradePoint(COUNT.decode(in), DOUBLE.decode(in), DOUBLE.decode(in));
  }
}
