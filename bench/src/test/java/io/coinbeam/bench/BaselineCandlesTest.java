package io.coinbeam.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.coinbeam.CoinbeamPipeline;
import io.coinbeam.catalog.CoinCapStream;
import io.coinbeam.model.MalformedRecordException;
import io.coinbeam.model.Side;
import io.coinbeam.model.TradeMessage;
import io.coinbeam.sample.Manifest;
import io.coinbeam.sample.SampleGenerator;
import io.coinbeam.testing.ParquetFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The baseline must do the pipeline's work exactly, or its time means nothing: on the same
 * generated trades (bad, duplicate and late lines included) it must write the very rows the Beam
 * pipeline writes, and the same dead letters.
 */
class BaselineCandlesTest {
  @TempDir static Path dir;
  private static Manifest manifest;

  @BeforeAll
  static void runBoth() throws Exception {
    // 40 minutes, 6000 trades over 3 files: dozens of bad lines, duplicates and late trades.
    manifest = SampleGenerator.generate(BenchData.config(6000, 11, 150, 3), dir.resolve("in"));
    String input = dir.resolve("in/trades") + "/*";
    assertEquals(
        CoinbeamPipeline.EXIT_OK,
        CoinbeamPipeline.run(
            new String[] {
              "--streams=trades", "--input=" + input, "--output=" + dir.resolve("beam")
            }));
    assertEquals(
        0,
        BaselineCandles.run(
            new String[] {"--input=" + input, "--output=" + dir.resolve("baseline")}));
  }

  private static List<String> rows(String output, String table) throws Exception {
    List<String> rows = new ArrayList<>();
    for (GenericRecord record : ParquetFiles.readTable(dir.resolve(output).resolve(table))) {
      rows.add(record.toString());
    }
    rows.sort(null);
    return rows;
  }

  @Test
  void writesExactlyTheRowsOfTheBeamPipeline() throws Exception {
    List<String> beam = rows("beam", "trade_candles");
    assertTrue(beam.size() > 500, "expected hundreds of candles, got " + beam.size());
    assertEquals(beam, rows("baseline", "trade_candles"));
  }

  @Test
  void fingerprintsAgreeAndHoldEveryValidTrade() throws Exception {
    OutputChecksum.Fingerprint beam = OutputChecksum.of(dir.resolve("beam/trade_candles"));
    OutputChecksum.Fingerprint baseline = OutputChecksum.of(dir.resolve("baseline/trade_candles"));
    assertEquals(beam, baseline);
    assertEquals(manifest.stream(CoinCapStream.TRADES).rows(), baseline.trades());
  }

  @Test
  void deadLettersAreTheSameLines() throws Exception {
    Set<String> beam = new TreeSet<>();
    for (GenericRecord dead : ParquetFiles.readTable(dir.resolve("beam/dead_letters"))) {
      beam.add(dead.get("source") + " " + dead.get("payload") + " " + dead.get("observed_at"));
    }
    Set<String> baseline = new TreeSet<>();
    for (GenericRecord dead : ParquetFiles.readTable(dir.resolve("baseline/dead_letters"))) {
      baseline.add(dead.get("source") + " " + dead.get("payload") + " " + dead.get("observed_at"));
      assertFalse(dead.get("error").toString().isBlank());
    }
    assertEquals(manifest.stream(CoinCapStream.TRADES).deadLetters(), baseline.size());
    assertEquals(beam, baseline);
    assertEquals(baseline.size(), OutputChecksum.countRows(dir.resolve("baseline/dead_letters")));
  }

  @Test
  void parsesWhatThePipelineParsesTheSameWay() throws Exception {
    String line =
        "{\"exchange\":\"gemini\",\"base\":\"bitcoin\",\"quote\":\"united-states-dollar\","
            + "\"direction\":\" Sell \",\"price\":\"63150.25\",\"volume\":1,"
            + "\"timestamp\":1715083200,\"priceUsd\":63150.25,\"extra\":{\"a\":[1,2]}}";
    TradeMessage expected = TradeMessage.parse(new ObjectMapper().readTree(line));
    TradeMessage parsed = BaselineCandles.parse(line);
    assertEquals(expected, parsed);
    assertEquals(Side.SELL, parsed.side());
    assertEquals(1_715_083_200_000L, parsed.timestampMillis()); // whole seconds scaled
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"exchange\":\"binance\",\"base\":\"bitcoin\",\"quote\":\"tether\",\"direction\":\"buy\",\"price\":\"abc\",\"volume\":1,\"timestamp\":1715083200000,\"priceUsd\":1}",
        "{\"exchange\":\"binance\",\"base\":\"bitcoin\",\"quote\":\"tether\",\"direction\":\"buy\",\"price\":2,\"timestamp\":1715083200000,\"priceUsd\":1}",
        "{\"exchange\":\"binance\",\"base\":\"bitcoin\",\"quote\":\"tether\",\"direction\":\"hold\",\"price\":2,\"volume\":1,\"timestamp\":1715083200000,\"priceUsd\":1}",
        "{\"exchange\":\"binance\",\"base\":\"bitcoin\",\"quote\":\"tether\",\"direction\":\"buy\",\"price\":2,\"volume\":-1,\"timestamp\":1715083200000,\"priceUsd\":1}",
        "{\"exchange\":\" \",\"base\":\"bitcoin\",\"quote\":\"tether\",\"direction\":\"buy\",\"price\":2,\"volume\":1,\"timestamp\":1715083200000,\"priceUsd\":1}",
        "{\"exchange\":\"binance\",\"base\":\"bitcoin\",\"quote\":\"tether\",\"direction\":\"buy\",\"price\":2,\"volume\":1,\"timestamp\":17150832000000000,\"priceUsd\":1}",
        "{\"exchange\":\"binance\",\"base\":\"bitcoin\",\"quote\":\"tether\",\"direction\":\"buy\",\"price\":2,\"volume\":1,\"timestamp\":1715083200000.5,\"priceUsd\":1}",
        "[1,2]",
      })
  void refusesWhatThePipelineRefuses(String line) throws Exception {
    assertThrows(
        MalformedRecordException.class,
        () -> TradeMessage.parse(new ObjectMapper().readTree(line)));
    assertThrows(MalformedRecordException.class, () -> BaselineCandles.parse(line));
  }

  @Test
  void textAfterTheObjectIsRefusedAsThePipelinesParserDoes() {
    String line =
        "{\"exchange\":\"binance\",\"base\":\"bitcoin\",\"quote\":\"tether\",\"direction\":\"buy\","
            + "\"price\":2,\"volume\":1,\"timestamp\":1715083200000,\"priceUsd\":1} {}";
    assertThrows(
        com.fasterxml.jackson.core.JsonProcessingException.class,
        () ->
            new ObjectMapper()
                .enable(
                    com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .readTree(line));
    assertThrows(MalformedRecordException.class, () -> BaselineCandles.parse(line));
  }

  @Test
  void brokenJsonIsAParseError() {
    assertThrows(
        com.fasterxml.jackson.core.JsonProcessingException.class,
        () -> BaselineCandles.parse("{\"exchange\":\"binance\",\"base\":\"bitc"));
  }
}
