package io.coinbeam.model;

import static io.coinbeam.model.JsonFieldsTest.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TradeMessageTest {
  /** A message as CoinCap's trades socket sends it: a binance BTC/USDT buy of 0.07 BTC. */
  static final String SOCKET_EXAMPLE =
      "{\"exchange\":\"binance\",\"base\":\"bitcoin\",\"quote\":\"tether\",\"direction\":\"buy\","
          + "\"price\":19365.59,\"volume\":0.07,\"timestamp\":1666616454283,\"priceUsd\":19371.06}";

  private static ObjectNode example() {
    return (ObjectNode) json(SOCKET_EXAMPLE);
  }

  private static String failure(ObjectNode message) {
    return assertThrows(MalformedRecordException.class, () -> TradeMessage.parse(message))
        .getMessage();
  }

  @Test
  void parsesTheSocketMessage() throws Exception {
    TradeMessage trade = TradeMessage.parse(example());
    assertEquals(
        new TradeMessage(
            "binance", "bitcoin", "tether", Side.BUY, 19365.59, 0.07, 19371.06, 1_666_616_454_283L),
        trade);
    assertEquals(1_666_616_454_283L, trade.eventTimeMillis());
  }

  @Test
  void numbersMayComeAsStringsAndUnknownKeysAreIgnored() throws Exception {
    ObjectNode message = example();
    message.put("price", "19365.59").put("volume", "0.07").put("priceUsd", "19371.06");
    message.put("timestamp", "1666616454283");
    message.put("tradeId", 12345).putObject("nested").put("x", 1);
    assertEquals(TradeMessage.parse(example()), TradeMessage.parse(message));
  }

  @Test
  void wholeSecondTimestampsAreScaled() throws Exception {
    ObjectNode message = example();
    message.put("timestamp", 1_715_075_793L);
    assertEquals(1_715_075_793_000L, TradeMessage.parse(message).timestampMillis());
  }

  @ParameterizedTest
  @CsvSource({"buy,BUY", "sell,SELL", "BUY,BUY", "' Sell ',SELL"})
  void directionIsCaseAndSpaceInsensitive(String direction, Side side) throws Exception {
    ObjectNode message = example();
    message.put("direction", direction);
    assertEquals(side, TradeMessage.parse(message).side());
  }

  @Test
  void anUnknownDirectionIsRejected() {
    ObjectNode message = example();
    message.put("direction", "hold");
    assertEquals("direction: expected buy or sell, got \"hold\"", failure(message));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "exchange",
        "base",
        "quote",
        "direction",
        "price",
        "volume",
        "priceUsd",
        "timestamp"
      })
  void everyFieldIsRequired(String field) {
    ObjectNode message = example();
    message.remove(field);
    assertEquals("missing " + field, failure(message));
    message.putNull(field);
    assertEquals("missing " + field, failure(message));
  }

  @Test
  void emptyStringsCountAsMissing() {
    ObjectNode message = example();
    message.put("exchange", "");
    assertEquals("missing exchange", failure(message));
    message = example();
    message.put("price", "");
    assertEquals("missing price", failure(message));
  }

  @ParameterizedTest
  @ValueSource(doubles = {0.0, -0.0, -1.0, -19365.59})
  void priceMustBePositive(double price) {
    ObjectNode message = example();
    message.put("price", price);
    assertEquals("price: must be positive, got " + price, failure(message));
  }

  @ParameterizedTest
  @ValueSource(doubles = {0.0, -0.0, -0.07})
  void volumeMustBePositive(double volume) {
    ObjectNode message = example();
    message.put("volume", volume);
    assertEquals("volume: must be positive, got " + volume, failure(message));
  }

  @Test
  void priceUsdMayBeZeroButNotNegative() throws Exception {
    ObjectNode message = example();
    message.put("priceUsd", 0.0);
    assertEquals(0.0, TradeMessage.parse(message).priceUsd());
    message.put("priceUsd", -1.5);
    assertEquals("priceUsd: must not be negative, got -1.5", failure(message));
  }

  @Test
  void nonFiniteNumbersAreRejected() {
    ObjectNode message = example();
    message.put("price", "Infinity");
    assertEquals("price: not a number: \"Infinity\"", failure(message));
    message = example();
    message.put("volume", "NaN");
    assertEquals("volume: not a number: \"NaN\"", failure(message));
    message = example();
    message.put("price", 1e308 * 10); // a JSON number that overflows to infinity when read
    assertEquals("price: not a finite number: Infinity", failure(message));
  }

  @Test
  void timesOutsideTheRangeAreRejected() {
    ObjectNode message = example();
    message.put("timestamp", 4_102_444_800_000L);
    assertEquals(
        "timestamp: 4102444800000 is not a time between 2009 and 2100 in epoch milliseconds",
        failure(message));
  }

  @Test
  void aNonObjectMessageFailsCleanly() {
    // Not an object: every field is missing, no NullPointerException.
    assertEquals(
        "missing exchange",
        assertThrows(MalformedRecordException.class, () -> TradeMessage.parse(json("[1,2]")))
            .getMessage());
    assertEquals(
        "missing exchange",
        assertThrows(MalformedRecordException.class, () -> TradeMessage.parse(json("\"buy\"")))
            .getMessage());
  }
}
