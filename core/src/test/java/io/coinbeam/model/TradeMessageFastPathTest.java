package io.coinbeam.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.coinbeam.testing.SharedFixtures;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link TradeMessage#parseSimple} is only a shortcut: whenever it answers, it answers what {@link
 * TradeMessage#parse} of the JSON tree answers, and whenever the general reader refuses a message,
 * it does not answer at all (so the dead letter's reason comes from the general reader).
 */
class TradeMessageFastPathTest {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  /** What the general reader makes of {@code text}: the trade, or null when it refuses it. */
  private static TradeMessage general(String text) {
    try {
      JsonNode tree = JSON.readTree(text);
      return tree != null && tree.isObject() ? TradeMessage.parse(tree) : null;
    } catch (Exception e) {
      return null;
    }
  }

  /** One cache for every message, as a worker reads them: it must never hand back a wrong name. */
  private final TextCache texts = new TextCache();

  private void assertAgrees(String text) {
    TradeMessage expected = general(text);
    for (TradeMessage simple :
        java.util.Arrays.asList(
            TradeMessage.parseSimple(text), TradeMessage.parseSimple(text, texts))) {
      if (expected == null) {
        assertNull(simple, "the general reader refuses " + text);
      } else if (simple != null) {
        assertEquals(expected, simple, text);
      }
    }
  }

  @Test
  void generatedMessagesGiveTheSameTradeBothWays() {
    Random random = new Random(42);
    String[] directions = {"buy", "sell", "BUY", " Sell "};
    int answered = 0;
    for (int i = 0; i < 5_000; i++) {
      List<String> fields = new ArrayList<>();
      fields.add("\"exchange\":\"ex" + random.nextInt(9) + "\"");
      // Thousands of distinct asset names, so that texts share and replace the cache's slots.
      fields.add("\"base\":\"asset-" + random.nextInt(3_000) + "\"");
      fields.add("\"quote\":\"" + (random.nextBoolean() ? "tether" : "usd-coin") + "\"");
      fields.add("\"direction\":\"" + directions[random.nextInt(directions.length)] + "\"");
      fields.add("\"price\":" + number(random));
      fields.add("\"volume\":" + number(random));
      fields.add("\"priceUsd\":" + number(random));
      long millis = 1_300_000_000_000L + (long) (random.nextDouble() * 2e12);
      fields.add("\"timestamp\":" + (random.nextInt(5) == 0 ? millis / 1000 : millis));
      if (random.nextBoolean()) {
        fields.add("\"tradeId\":" + random.nextInt());
      }
      if (random.nextInt(4) == 0) {
        fields.add("\"nested\":{\"a\":[1,2,{\"b\":null}]}");
      }
      java.util.Collections.shuffle(fields, random);
      String text = "{" + String.join(random.nextBoolean() ? "," : " , ", fields) + "}";
      assertAgrees(text);
      if (TradeMessage.parseSimple(text) != null) {
        answered++;
      }
    }
    assertTrue(answered > 4_000, "the shortcut answers well-formed messages: " + answered);
  }

  private static String number(Random random) {
    double value = Math.exp(random.nextGaussian() * 5);
    return switch (random.nextInt(4)) {
      case 0 -> Long.toString(Math.round(value) + 1);
      case 1 -> String.format("%.3e", value);
      default -> Double.toString(value);
    };
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "[]",
        "{}",
        "null",
        "{\"exchange\":\"binance\"}",
        "{\"exchange\":\"binance\",\"base\":\"bitcoin\",\"quote\":\"tether\",\"direction\":\"buy\","
            + "\"price\":1,\"volume\":1,\"timestamp\":1666616454283,\"priceUsd\":1} trailing",
        "{\"exchange\":\"binance\",\"base\":\"bitcoin\",\"quote\":\"tether\",\"direction\":\"hold\","
            + "\"price\":1,\"volume\":1,\"timestamp\":1666616454283,\"priceUsd\":1}",
        "{\"exchange\":\" \",\"base\":\"bitcoin\",\"quote\":\"tether\",\"direction\":\"buy\","
            + "\"price\":1,\"volume\":1,\"timestamp\":1666616454283,\"priceUsd\":1}",
        "{\"exchange\":\"binance\",\"base\":\"bitcoin\",\"quote\":\"tether\",\"direction\":\"buy\","
            + "\"price\":0,\"volume\":1,\"timestamp\":1666616454283,\"priceUsd\":1}",
        "{\"exchange\":\"binance\",\"base\":\"bitcoin\",\"quote\":\"tether\",\"direction\":\"buy\","
            + "\"price\":1,\"volume\":-1,\"timestamp\":1666616454283,\"priceUsd\":1}",
        "{\"exchange\":\"binance\",\"base\":\"bitcoin\",\"quote\":\"tether\",\"direction\":\"buy\","
            + "\"price\":1,\"volume\":1,\"timestamp\":1666616454283,\"priceUsd\":-0.5}",
        "{\"exchange\":\"binance\",\"base\":\"bitcoin\",\"quote\":\"tether\",\"direction\":\"buy\","
            + "\"price\":1e999,\"volume\":1,\"timestamp\":1666616454283,\"priceUsd\":1}",
        "{\"exchange\":\"binance\",\"base\":\"bitcoin\",\"quote\":\"tether\",\"direction\":\"buy\","
            + "\"price\":1,\"volume\":1,\"timestamp\":99,\"priceUsd\":1}",
        "{\"exchange\":\"binance\",\"base\":\"bitcoin\",\"quote\":\"tether\",\"direction\":\"buy\","
            + "\"price\":1,\"volume\":1,\"timestamp\":1666616454283.5,\"priceUsd\":1}",
        "{\"exchange\":\"binance\",\"base\":\"bitcoin\",\"quote\":\"tether\",\"direction\":\"buy\","
            + "\"price\":1,\"volume\":1,\"timestamp\":99999999999999999999999,\"priceUsd\":1}",
        "{\"exchange\":\"binance\",\"base\":\"bitcoin\",\"quote\":\"tether\",\"direction\":\"buy\","
            + "\"price\":null,\"volume\":1,\"timestamp\":1666616454283,\"priceUsd\":1}",
        "{\"exchange\":\"binance\",\"base\":\"bitcoin\",\"quote\":\"tether\",\"direction\":\"buy\","
            + "\"price\":\"12\",\"volume\":1,\"timestamp\":\"1666616454283\",\"priceUsd\":1}",
        "{\"exchange\":\"binance\",\"exchange\":\"kraken\",\"base\":\"bitcoin\",\"quote\":\"tether\","
            + "\"direction\":\"buy\",\"price\":1,\"volume\":1,\"timestamp\":1666616454283,"
            + "\"priceUsd\":1}",
        "{\"exchange\":7,\"base\":\"bitcoin\",\"quote\":\"tether\",\"direction\":\"buy\","
            + "\"price\":1,\"volume\":1,\"timestamp\":1666616454283,\"priceUsd\":1}",
        "{\"data\":[],\"exchange\":\"binance\",\"base\":\"bitcoin\",\"quote\":\"tether\","
            + "\"direction\":\"buy\",\"price\":1,\"volume\":1,\"timestamp\":1666616454283,"
            + "\"priceUsd\":1}",
        "{\"exchange\":\"binance\",\"base\":\"bitcoin\",\"quote\":\"tether\",\"direction\":\"buy\","
            + "\"price\":1,\"volume\":1,\"timestamp\":1666616454283,\"priceUsd\":1",
      })
  void unusualAndBadMessagesAreLeftToTheGeneralReader(String text) {
    assertAgrees(text);
  }

  @Test
  void theDuplicateAndStringCasesAreNotAnsweredByTheShortcut() {
    assertNull(
        TradeMessage.parseSimple(
            "{\"exchange\":\"binance\",\"base\":\"bitcoin\",\"quote\":\"tether\","
                + "\"direction\":\"buy\",\"price\":\"12\",\"volume\":1,"
                + "\"timestamp\":1666616454283,\"priceUsd\":1}"));
    assertNotNull(TradeMessage.parseSimple(TradeMessageTest.SOCKET_EXAMPLE));
  }

  @Test
  void realSocketMessagesGiveTheSameTradeBothWays() throws Exception {
    List<String> lines =
        Files.readAllLines(
            SharedFixtures.require("coincap/trades_ws_lab-flink-crypto-readme.jsonl"));
    int answered = 0;
    for (String line : lines) {
      if (line.isBlank()) {
        continue;
      }
      assertAgrees(line);
      if (TradeMessage.parseSimple(line) != null) {
        answered++;
      }
    }
    assertTrue(answered > 0, "the shortcut answers real messages");
  }
}
