package io.coinbeam.coders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coinbeam.model.AssetSnapshot;
import io.coinbeam.model.ExchangeSnapshot;
import io.coinbeam.model.MarketSnapshot;
import io.coinbeam.model.RateSnapshot;
import io.coinbeam.model.RawRecord;
import io.coinbeam.model.Side;
import io.coinbeam.model.TradeMessage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.testing.CoderProperties;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.beam.sdk.util.SerializableUtils;
import org.junit.jupiter.api.Test;

/** RecordCoder round trips every model record exactly, nulls, enums and odd doubles included. */
public class RecordCoderTest {

  /** Round trip through bytes, and through a Java-serialised copy of the coder (as workers get). */
  private static <T extends Record> void roundTrip(Class<T> type, T value) throws Exception {
    RecordCoder<T> coder = RecordCoder.of(type);
    CoderProperties.coderDecodeEncodeEqual(coder, value);
    RecordCoder<T> shipped = SerializableUtils.clone(coder);
    assertEquals(coder, shipped);
    assertEquals(
        value, CoderUtils.decodeFromByteArray(shipped, CoderUtils.encodeToByteArray(coder, value)));
    assertEquals(value, CoderUtils.clone(shipped, value));
  }

  @Test
  void tradeMessagesWithBothSides() throws Exception {
    for (Side side : Side.values()) {
      roundTrip(
          TradeMessage.class,
          new TradeMessage(
              "binance", "bitcoin", "tether", side, 19365.59, 0.07, 19371.06, 1_666_616_454_283L));
    }
  }

  @Test
  void aNullEnumAndNullStrings() throws Exception {
    // The parser never makes these, but the coder must not corrupt them either.
    roundTrip(TradeMessage.class, new TradeMessage(null, "", null, null, 1.0, 2.0, 3.0, 0L));
  }

  @Test
  void doublesKeepEveryBit() throws Exception {
    for (double d :
        List.of(
            -0.0,
            Double.MIN_VALUE,
            Double.MAX_VALUE,
            Double.NaN,
            Double.POSITIVE_INFINITY,
            1e-8,
            38417.0478200847774256,
            Math.nextUp(1.0))) {
      TradeMessage trade = new TradeMessage("e", "b", "q", Side.BUY, d, d, d, Long.MIN_VALUE);
      TradeMessage back = CoderUtils.clone(RecordCoder.of(TradeMessage.class), trade);
      assertEquals(Double.doubleToRawLongBits(d), Double.doubleToRawLongBits(back.price()));
      assertEquals(trade, back);
    }
  }

  @Test
  void assetsWithAndWithoutNulls() throws Exception {
    roundTrip(
        AssetSnapshot.class,
        new AssetSnapshot(
            "bitcoin",
            "BTC",
            "Bitcoin",
            1L,
            18767006.0,
            21e6,
            7.2e11,
            2.39e10,
            38417.04782008478,
            11.52,
            37077.8,
            1_627_297_413_424L));
    roundTrip(
        AssetSnapshot.class,
        new AssetSnapshot("x", null, null, null, null, null, null, null, 0.0, null, null, 0L));
  }

  @Test
  void rates() throws Exception {
    roundTrip(RateSnapshot.class, new RateSnapshot("euro", "EUR", "€", "fiat", 1.16, 1L));
    roundTrip(RateSnapshot.class, new RateSnapshot("usd-coin", "USDC", null, null, 1.0, 1L));
    roundTrip(RateSnapshot.class, new RateSnapshot("bitcoin", "BTC", "₿ 🚀", "crypto", 6460.1, 1L));
  }

  @Test
  void exchangesWithEveryBooleanState() throws Exception {
    for (Boolean socket : new Boolean[] {true, false, null}) {
      roundTrip(
          ExchangeSnapshot.class,
          new ExchangeSnapshot("kraken", "Kraken", 13L, 1.8, 1.2e9, 141L, socket, 1L));
    }
    roundTrip(
        ExchangeSnapshot.class,
        new ExchangeSnapshot("k", null, null, null, null, null, null, Long.MAX_VALUE));
  }

  @Test
  void markets() throws Exception {
    roundTrip(
        MarketSnapshot.class,
        new MarketSnapshot(
            "binance", "solana", "tether", "SOL", "USDT", 30.41, 30.45, 1.5e8, 0.69, 165733L, 1L));
    roundTrip(
        MarketSnapshot.class,
        new MarketSnapshot("b", "s", "t", null, null, null, 0.0, null, null, null, 1L));
  }

  @Test
  void rawRecords() throws Exception {
    roundTrip(RawRecord.class, new RawRecord("f.json:1#data[0]", "{\"a\":\"é\"}", 42L));
    roundTrip(RawRecord.class, new RawRecord("", "x".repeat(100_000), -1L));
  }

  @Test
  void nullIsRefusedWithAMessage() {
    CoderException e =
        assertThrows(
            CoderException.class,
            () -> RecordCoder.of(RateSnapshot.class).encode(null, new ByteArrayOutputStream()));
    assertTrue(e.getMessage().contains("RateSnapshot"), e.getMessage());
  }

  @Test
  void anUnknownEnumOrdinalIsACoderException() throws Exception {
    // Encode a trade, then patch the Side ordinal (VarInt 0 or 1) to 7.
    RecordCoder<TradeMessage> coder = RecordCoder.of(TradeMessage.class);
    ByteArrayOutputStream prefix = new ByteArrayOutputStream();
    Coder<String> strings =
        org.apache.beam.sdk.coders.NullableCoder.of(
            org.apache.beam.sdk.coders.StringUtf8Coder.of());
    strings.encode("e", prefix);
    strings.encode("b", prefix);
    strings.encode("q", prefix);
    byte[] bytes =
        CoderUtils.encodeToByteArray(
            coder, new TradeMessage("e", "b", "q", Side.SELL, 1.0, 1.0, 1.0, 1L));
    int at = prefix.size(); // the NullableCoder presence byte of the enum
    assertEquals(1, bytes[at]);
    assertEquals(Side.SELL.ordinal(), bytes[at + 1]);
    bytes[at + 1] = 7;
    CoderException e =
        assertThrows(CoderException.class, () -> coder.decode(new ByteArrayInputStream(bytes)));
    assertTrue(e.getMessage().contains("no Side with ordinal 7"), e.getMessage());
  }

  @Test
  void equalityIsByType() {
    assertEquals(RecordCoder.of(RateSnapshot.class), RecordCoder.of(RateSnapshot.class));
    assertEquals(
        RecordCoder.of(RateSnapshot.class).hashCode(),
        RecordCoder.of(RateSnapshot.class).hashCode());
    assertNotEquals(RecordCoder.of(RateSnapshot.class), RecordCoder.of(AssetSnapshot.class));
  }

  /** A component type the coder does not know. */
  public record WithList(String name, List<String> tags) {}

  @Test
  void unsupportedComponentTypesAreRefusedUpFront() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> RecordCoder.of(WithList.class));
    assertTrue(e.getMessage().contains("cannot encode a component of type"), e.getMessage());
  }
}
