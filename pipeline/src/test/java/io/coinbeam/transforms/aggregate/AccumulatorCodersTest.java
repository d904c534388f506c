package io.coinbeam.transforms.aggregate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coinbeam.coders.RecordCoder;
import io.coinbeam.model.AssetSnapshot;
import io.coinbeam.model.Side;
import io.coinbeam.model.TradeMessage;
import io.coinbeam.transforms.aggregate.SnapshotSpec.ObservationKey;
import io.coinbeam.transforms.aggregate.SnapshotSpec.Observations;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.beam.sdk.util.SerializableUtils;
import org.junit.jupiter.api.Test;

/**
 * The accumulator coders give back exactly the state they were given (every partial of every sum,
 * bit for bit), so a decoded accumulator continues and rounds as the original would; and they are
 * several times smaller than the Java serialization they replace.
 */
class AccumulatorCodersTest {
  private static final long T0 = 1_715_076_000_000L;

  private static double[] partials(ExactSum sum) {
    return Arrays.copyOf(sum.partials, sum.size);
  }

  private static void assertSameSum(ExactSum expected, ExactSum actual) {
    assertArrayEquals(partials(expected), partials(actual));
    assertEquals(expected.size, actual.size);
  }

  @Test
  void exactSumKeepsEveryPartial() throws Exception {
    ExactSum sum = new ExactSum();
    // 1e100, 1.0 and -1e100 cannot share a double: the sum holds several partials.
    for (double x : new double[] {1e100, 1.0, 1e-100, -1e100, 0.1, 3.5e-300}) {
      sum.add(x);
    }
    assertTrue(sum.size >= 3, "the test needs a sum of several partials");
    ExactSum back = CoderUtils.clone(ExactSumCoder.of(), sum);
    assertSameSum(sum, back);
    assertEquals(sum.exact(), back.exact());
    // It goes on adding as the original does.
    sum.add(2.0);
    back.add(2.0);
    assertSameSum(sum, back);
  }

  @Test
  void anEmptySumStaysEmpty() throws Exception {
    ExactSum back = CoderUtils.clone(ExactSumCoder.of(), new ExactSum());
    assertEquals(0, back.size);
    assertEquals(0.0, back.value());
  }

  @Test
  void manyPartialsGrowTheArray() throws Exception {
    ExactSum sum = new ExactSum();
    for (int e = -1000; e <= 1000; e += 60) {
      sum.add(Math.scalb(1.0, e)); // powers of two 60 apart never merge: one partial each
    }
    assertTrue(sum.size > 4);
    assertSameSum(sum, CoderUtils.clone(ExactSumCoder.of(), sum));
  }

  @Test
  void aCorruptPartialCountIsRefused() {
    byte[] bytes = {(byte) 0xff, (byte) 0xff, 0x7f}; // a varint of 2^21 - 1 partials
    assertThrows(
        CoderException.class, () -> CoderUtils.decodeFromByteArray(ExactSumCoder.of(), bytes));
  }

  private static TradeMessage trade(Side side, double price, double volume, long at) {
    return new TradeMessage("kraken", "ethereum", "euro", side, price, volume, price * 1.1, at);
  }

  private static void assertSameCandle(CandleAccumulator expected, CandleAccumulator actual) {
    assertEquals(expected.first, actual.first);
    assertEquals(expected.last, actual.last);
    assertEquals(
        Double.doubleToRawLongBits(expected.high), Double.doubleToRawLongBits(actual.high));
    assertEquals(Double.doubleToRawLongBits(expected.low), Double.doubleToRawLongBits(actual.low));
    assertEquals(expected.tradeCount, actual.tradeCount);
    assertEquals(expected.buyCount, actual.buyCount);
    assertSameSum(expected.volume, actual.volume);
    assertSameSum(expected.volumeUsd, actual.volumeUsd);
    assertSameSum(expected.notional, actual.notional);
    assertSameSum(expected.buyVolume, actual.buyVolume);
    assertSameSum(expected.sellVolume, actual.sellVolume);
  }

  @Test
  void aCandleComesBackFieldByField() throws Exception {
    Random random = new Random(7);
    CandleAccumulator candle = new CandleAccumulator();
    for (int i = 0; i < 200; i++) {
      candle.add(
          trade(
              random.nextBoolean() ? Side.BUY : Side.SELL,
              1000 + random.nextGaussian(),
              random.nextDouble() * 3,
              T0 + random.nextInt(60_000)));
    }
    CandleAccumulator back = CoderUtils.clone(CandleAccumulatorCoder.of(), candle);
    assertSameCandle(candle, back);
    assertTrue(candle.tradeCount == 200 && candle.buyCount > 0 && candle.buyCount < 200);
  }

  @Test
  void anEmptyCandleComesBackEmpty() throws Exception {
    CandleAccumulator back = CoderUtils.clone(CandleAccumulatorCoder.of(), new CandleAccumulator());
    assertNull(back.first);
    assertNull(back.last);
    assertEquals(Double.NEGATIVE_INFINITY, back.high);
    assertEquals(Double.POSITIVE_INFINITY, back.low);
    assertEquals(0, back.tradeCount);
    // And merging it into a real candle changes nothing, as for a fresh accumulator.
    CandleAccumulator real = new CandleAccumulator();
    real.add(trade(Side.BUY, 10, 1, T0));
    CandleAccumulator merged = new CandleAccumulator();
    merged.merge(real);
    merged.merge(back);
    assertSameCandle(real, merged);
  }

  @Test
  void aCandleIsSmallerThanItsJavaSerialization() throws Exception {
    CandleAccumulator candle = new CandleAccumulator();
    candle.add(trade(Side.BUY, 10.5, 2, T0));
    candle.add(trade(Side.SELL, 10.25, 1, T0 + 1));
    int compact = CoderUtils.encodeToByteArray(CandleAccumulatorCoder.of(), candle).length;
    int serialized =
        CoderUtils.encodeToByteArray(SerializableCoder.of(CandleAccumulator.class), candle).length;
    assertTrue(compact * 4 < serialized, compact + " bytes vs " + serialized + " serialized");
  }

  @Test
  void theCoderSurvivesShippingToWorkers() throws Exception {
    assertEquals(CandleAccumulatorCoder.of(), SerializableUtils.clone(CandleAccumulatorCoder.of()));
    assertEquals(ExactSumCoder.of(), SerializableUtils.clone(ExactSumCoder.of()));
  }

  private static AssetSnapshot asset(String id, long at, double price) {
    return new AssetSnapshot(
        id, "BTC", "Bitcoin", 1L, null, null, 1.5e12, null, price, -0.5, null, at);
  }

  @Test
  void observationsComeBackInTheirOrder() throws Exception {
    Observations<AssetSnapshot> observations = new Observations<>();
    observations.byKey.put(new ObservationKey(T0 + 2, ""), asset("bitcoin", T0 + 2, 2.0));
    observations.byKey.put(new ObservationKey(T0, "b"), asset("bitcoin", T0, 1.0));
    observations.byKey.put(new ObservationKey(T0, "a"), asset("bitcoin", T0, 3.0));
    ObservationsCoder<AssetSnapshot> coder =
        new ObservationsCoder<>(RecordCoder.of(AssetSnapshot.class));
    Observations<AssetSnapshot> back = CoderUtils.clone(coder, observations);
    assertEquals(List.copyOf(observations.byKey.keySet()), List.copyOf(back.byKey.keySet()));
    assertEquals(List.copyOf(observations.byKey.values()), List.copyOf(back.byKey.values()));
    assertEquals(
        0, CoderUtils.clone(coder, new Observations<AssetSnapshot>()).byKey.size(), "empty");
    assertEquals(coder, SerializableUtils.clone(coder));
  }
}
