package io.coinbeam.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** CoinCap's field quirks: numbers as strings or numbers, nulls, missing keys, odd times. */
class JsonFieldsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (Exception e) {
      throw new AssertionError(text, e);
    }
  }

  private static String messageOf(Executable call) {
    return assertThrows(MalformedRecordException.class, call::run).getMessage();
  }

  interface Executable {
    void run() throws Exception;
  }

  // ---- numbers ----

  @Test
  void numberFromStringIsTheCorrectlyRoundedDoubleOfAllItsDigits() throws Exception {
    // REST rows carry up to 36 decimals as strings: the result is the nearest double to the full
    // decimal, which BigDecimal computes independently.
    JsonNode row =
        json("{\"p\":\"38417.0478200847774256\",\"q\":\"0.0009395987679768119846000000\"}");
    assertEquals(
        new BigDecimal("38417.0478200847774256").doubleValue(),
        JsonFields.requiredNumber(row, "p"));
    assertEquals(
        new BigDecimal("0.0009395987679768119846").doubleValue(),
        JsonFields.optionalNumber(row, "q"));
  }

  @Test
  void numberFromJsonNumberAndFromStringAgree() throws Exception {
    JsonNode row = json("{\"n\":19365.59,\"s\":\"19365.59\",\"i\":180,\"e\":1.5e3}");
    assertEquals(19365.59, JsonFields.requiredNumber(row, "n"));
    assertEquals(19365.59, JsonFields.requiredNumber(row, "s"));
    assertEquals(180.0, JsonFields.requiredNumber(row, "i"));
    assertEquals(1500.0, JsonFields.requiredNumber(row, "e"));
  }

  @Test
  void numberStringIsTrimmed() throws Exception {
    assertEquals(12.5, JsonFields.requiredNumber(json("{\"v\":\"  12.5 \"}"), "v"));
  }

  @Test
  void optionalNumberIsNullWhenMissingNullOrEmpty() throws Exception {
    JsonNode row = json("{\"a\":null,\"b\":\"\",\"c\":\"   \"}");
    assertNull(JsonFields.optionalNumber(row, "a"));
    assertNull(JsonFields.optionalNumber(row, "b"));
    assertNull(JsonFields.optionalNumber(row, "c"));
    assertNull(JsonFields.optionalNumber(row, "absent"));
  }

  @Test
  void requiredNumberNamesTheMissingField() {
    assertEquals(
        "missing priceUsd", messageOf(() -> JsonFields.requiredNumber(json("{}"), "priceUsd")));
    assertEquals(
        "missing priceUsd",
        messageOf(() -> JsonFields.requiredNumber(json("{\"priceUsd\":null}"), "priceUsd")));
    assertEquals(
        "missing priceUsd",
        messageOf(() -> JsonFields.requiredNumber(json("{\"priceUsd\":\"\"}"), "priceUsd")));
  }

  @Test
  void textThatIsNotANumberIsRejectedWithTheText() {
    String message = messageOf(() -> JsonFields.optionalNumber(json("{\"v\":\"12,5\"}"), "v"));
    assertEquals("v: not a number: \"12,5\"", message);
  }

  @Test
  void longGarbageIsAbbreviatedInTheMessage() {
    String garbage = "x".repeat(100);
    String message =
        messageOf(() -> JsonFields.optionalNumber(json("{\"v\":\"" + garbage + "\"}"), "v"));
    assertEquals("v: not a number: \"" + "x".repeat(40) + "...\"", message);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"\"NaN\"", "\"Infinity\"", "\"-Infinity\"", "\"1e400\"", "1e400", "-1e400"})
  void nonFiniteNumbersAreRejected(String literal) {
    String message =
        messageOf(() -> JsonFields.optionalNumber(json("{\"v\":" + literal + "}"), "v"));
    // "NaN" and "Infinity" as strings are not decimals at all; 1e400 is one, but overflows.
    assertTrue(
        message.startsWith("v: not a finite number") || message.startsWith("v: not a number"),
        message);
  }

  @ParameterizedTest
  @ValueSource(strings = {"true", "[1]", "{\"x\":1}"})
  void numbersOfTheWrongJsonTypeAreRejected(String literal) {
    String message =
        messageOf(() -> JsonFields.optionalNumber(json("{\"v\":" + literal + "}"), "v"));
    assertTrue(message.startsWith("v: expected a number, got "), message);
  }

  // ---- whole numbers ----

  @Test
  void wholeNumbersFromStringsAndNumbers() throws Exception {
    JsonNode row = json("{\"rank\":\"1\",\"pairs\":674,\"trades\":\"165733.0\",\"none\":null}");
    assertEquals(1L, JsonFields.optionalWholeNumber(row, "rank"));
    assertEquals(674L, JsonFields.optionalWholeNumber(row, "pairs"));
    assertEquals(165733L, JsonFields.optionalWholeNumber(row, "trades"));
    assertNull(JsonFields.optionalWholeNumber(row, "none"));
    assertNull(JsonFields.optionalWholeNumber(row, "absent"));
  }

  @Test
  void fractionalAndHugeWholeNumbersAreRejected() {
    assertEquals(
        "rank: not a whole number: 1.5",
        messageOf(() -> JsonFields.optionalWholeNumber(json("{\"rank\":\"1.5\"}"), "rank")));
    // 1e16 is beyond 9.0e15, where doubles stop holding every integer.
    assertTrue(
        messageOf(() -> JsonFields.optionalWholeNumber(json("{\"rank\":1e16}"), "rank"))
            .startsWith("rank: not a whole number"));
  }

  // ---- text ----

  @Test
  void textFieldsTakeTheFirstPresentNonNullName() throws Exception {
    JsonNode early = json("{\"id\":\"binance\"}");
    JsonNode later = json("{\"exchangeId\":\"kraken\",\"id\":\"ignored\"}");
    JsonNode nullNew = json("{\"exchangeId\":null,\"id\":\"okex\"}");
    assertEquals("binance", JsonFields.requiredText(early, "exchangeId", "id"));
    assertEquals("kraken", JsonFields.requiredText(later, "exchangeId", "id"));
    assertEquals("okex", JsonFields.requiredText(nullNew, "exchangeId", "id"));
  }

  @Test
  void requiredTextRejectsMissingNullAndBlank() {
    for (String row : new String[] {"{}", "{\"id\":null}", "{\"id\":\"\"}", "{\"id\":\"  \"}"}) {
      assertEquals(
          "missing exchangeId or id",
          messageOf(() -> JsonFields.requiredText(json(row), "exchangeId", "id")),
          row);
    }
  }

  @Test
  void optionalTextKeepsEmptyAndNumbersButRejectsContainers() throws Exception {
    JsonNode row = json("{\"s\":\"\",\"n\":42,\"o\":{\"a\":1},\"z\":null}");
    assertEquals("", JsonFields.optionalText(row, "s"));
    assertEquals("42", JsonFields.optionalText(row, "n"));
    assertNull(JsonFields.optionalText(row, "z"));
    assertNull(JsonFields.optionalText(row, "absent"));
    assertEquals(
        "o: expected text, got OBJECT", messageOf(() -> JsonFields.optionalText(row, "o")));
  }

  // ---- booleans ----

  @Test
  void booleansFromJsonAndStrings() throws Exception {
    JsonNode row = json("{\"a\":true,\"b\":false,\"c\":\"true\",\"d\":\"false\",\"e\":null}");
    assertEquals(Boolean.TRUE, JsonFields.optionalBoolean(row, "a"));
    assertEquals(Boolean.FALSE, JsonFields.optionalBoolean(row, "b"));
    assertEquals(Boolean.TRUE, JsonFields.optionalBoolean(row, "c"));
    assertEquals(Boolean.FALSE, JsonFields.optionalBoolean(row, "d"));
    assertNull(JsonFields.optionalBoolean(row, "e"));
    assertNull(JsonFields.optionalBoolean(row, "absent"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"1", "\"yes\"", "\"TRUE\"", "[]"})
  void otherBooleansAreRejected(String literal) {
    String message =
        messageOf(() -> JsonFields.optionalBoolean(json("{\"socket\":" + literal + "}"), "socket"));
    assertTrue(message.startsWith("socket: expected true or false"), message);
  }

  // ---- times ----

  @Test
  void epochMillisAsNumberOrDigits() throws Exception {
    JsonNode row = json("{\"a\":1666616454283,\"b\":\"1666616454283\"}");
    assertEquals(1_666_616_454_283L, JsonFields.requiredEpochMillis(row, "a"));
    assertEquals(1_666_616_454_283L, JsonFields.requiredEpochMillis(row, "b"));
  }

  @Test
  void wholeSecondsAreScaledToMillis() throws Exception {
    // 1715075793 s = 2024-05-07T09:56:33Z; the same instant in ms is 1715075793000.
    assertEquals(
        1_715_075_793_000L, JsonFields.requiredEpochMillis(json("{\"t\":1715075793}"), "t"));
    assertEquals(
        1_715_075_793_000L, JsonFields.requiredEpochMillis(json("{\"t\":\"1715075793\"}"), "t"));
    // Kraken's CSV seconds from the freqtrade capture: 1672531436 s = 2023-01-01T00:03:56Z.
    assertEquals(1_672_531_436_000L, JsonFields.checkedEpochMillis("t", 1_672_531_436L));
  }

  @Test
  void theBoundsAre2009And2100() throws Exception {
    // 2009-01-03T00:00:00Z = 14247 days * 86400000 ms = 1230940800000 (the first bitcoin block
    // day).
    assertEquals(14247L * 86_400_000L, JsonFields.EARLIEST_MILLIS);
    // 2100-01-01T00:00:00Z = 47482 days after the epoch.
    assertEquals(47482L * 86_400_000L, JsonFields.LATEST_MILLIS);
    assertEquals(1_230_940_800_000L, JsonFields.checkedEpochMillis("t", 1_230_940_800_000L));
    assertEquals(4_102_444_799_999L, JsonFields.checkedEpochMillis("t", 4_102_444_799_999L));
    // the earliest in seconds is scaled too
    assertEquals(1_230_940_800_000L, JsonFields.checkedEpochMillis("t", 1_230_940_800L));
    for (long bad :
        new long[] {
          1_230_940_799_999L, // a millisecond too early
          4_102_444_800_000L, // 2100-01-01 itself is out
          1_230_940_799L, // a second too early, in seconds
          0L,
          -1L,
          -1_666_616_454_283L,
          2_130_914_394_831_867_904L, // the faked rates capture timestamp
          Long.MAX_VALUE
        }) {
      String message = messageOf(() -> JsonFields.checkedEpochMillis("timestamp", bad));
      assertEquals(
          "timestamp: " + bad + " is not a time between 2009 and 2100 in epoch milliseconds",
          message);
    }
  }

  @Test
  void theFakedRatesTimestampIsRejected() {
    String message =
        messageOf(
            () ->
                JsonFields.requiredEpochMillis(
                    json("{\"timestamp\":2130914394831867904}"), "timestamp"));
    assertTrue(message.contains("2130914394831867904"), message);
    assertTrue(message.contains("between 2009 and 2100"), message);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "\"2022-10-24T13:00:54Z\"",
        "\"\"",
        "\"-1666616454283\"",
        "\"1666616454283.5\"",
        "true",
        "{}",
        "[1666616454283]",
        "1e30",
        "99999999999999999999999"
      })
  void timesThatAreNotEpochNumbersAreRejected(String literal) {
    String message =
        messageOf(() -> JsonFields.requiredEpochMillis(json("{\"t\":" + literal + "}"), "t"));
    assertTrue(message.startsWith("t: "), message);
  }

  @Test
  void digitStringsThatOverflowALongAreOutOfRange() {
    // 19 digits pass the shape check but exceed Long.MAX_VALUE (9223372036854775807).
    assertEquals(
        "t: out of range: \"9999999999999999999\"",
        messageOf(
            () -> JsonFields.requiredEpochMillis(json("{\"t\":\"9999999999999999999\"}"), "t")));
  }

  @Test
  void missingOrNullTimeIsNamed() {
    assertEquals("missing t", messageOf(() -> JsonFields.requiredEpochMillis(json("{}"), "t")));
    assertEquals(
        "missing t", messageOf(() -> JsonFields.requiredEpochMillis(json("{\"t\":null}"), "t")));
  }
}
