package io.coinbeam.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.coinbeam.catalog.CoinCapStream;
import io.coinbeam.model.MalformedRecordException;
import io.coinbeam.model.TradeMessage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The manifest states exactly what the files hold, counted independently by {@link Recount}. */
class ManifestTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  static Stream<Arguments> configs() {
    return Stream.of(
        Arguments.of("bundled sample", SampleGenerator.BUNDLED_SAMPLE),
        Arguments.of(
            "gzip, other seed, many files",
            Config.defaults()
                .withSeed(7)
                .withMinutes(45)
                .withTrades(20_000)
                .withFiles(7)
                .withGzip(true)),
        Arguments.of(
            "four minutes: no snapshot faults", Config.defaults().withMinutes(4).withTrades(50)),
        Arguments.of("one minute, one trade", Config.defaults().withMinutes(1).withTrades(1)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("configs")
  void countsMatchTheFiles(String name, Config config) throws IOException {
    Manifest returned = SampleGenerator.generate(config, dir);
    Manifest manifest = Manifest.read(dir);
    assertEquals(returned, manifest, "MANIFEST.json reads back as what generate returned");
    assertEquals(config, manifest.config());
    for (CoinCapStream stream : config.streams()) {
      Manifest.StreamCounts expected = manifest.stream(stream);
      Recount actual = Recount.of(dir, stream);
      String s = stream.id() + ": ";
      assertEquals(expected.files(), actual.files, s + "files");
      assertEquals(expected.records(), actual.records, s + "records");
      assertEquals(expected.rows(), actual.rows, s + "rows");
      assertEquals(expected.badRecords(), actual.badRecords, s + "bad records");
      assertEquals(expected.badRows(), actual.badRows, s + "bad rows");
      assertEquals(expected.duplicates(), actual.duplicates, s + "duplicates");
      assertEquals(expected.duplicateRows(), actual.duplicateRows, s + "duplicate rows");
      assertEquals(expected.outOfOrder(), actual.outOfOrder, s + "out of order");
      assertEquals(expected.late(), actual.late, s + "late");
      assertEquals(expected.firstEventMillis(), actual.first, s + "first event");
      assertEquals(expected.lastEventMillis(), actual.last, s + "last event");
      assertEquals(
          expected.rejects().stream().map(r -> r.source() + " " + r.level()).toList(),
          actual.rejects.stream().map(r -> r.source() + " " + r.level()).toList(),
          s + "rejects");
      assertEquals(expected.badRecords() + expected.badRows(), expected.deadLetters());
      if (stream == CoinCapStream.TRADES) {
        assertEquals(config.trades(), expected.records(), "--trades counts every line");
        assertEquals(config.files(), expected.files().size());
        assertEquals(expected.records(), expected.rows() + expected.deadLetters());
      } else {
        assertEquals(0, expected.outOfOrder());
      }
    }
  }

  @Test
  void everyValidTradeParsesAndEveryBadOneFails() throws Exception {
    Manifest manifest = SampleGenerator.generate(SampleGenerator.BUNDLED_SAMPLE, dir);
    Manifest.StreamCounts trades = manifest.stream(CoinCapStream.TRADES);
    List<String> bad = trades.rejects().stream().map(Manifest.Reject::source).toList();
    long valid = 0;
    for (Manifest.FileCounts file : trades.files()) {
      for (Recount.Item line : Recount.records(dir.resolve(file.path()), file.path())) {
        if (bad.contains(line.source())) {
          assertThrows(
              Exception.class,
              () -> TradeMessage.parse(JSON.readTree(line.text())),
              line.source() + " is listed as bad: " + line.text());
        } else {
          TradeMessage.parse(JSON.readTree(line.text()));
          valid++;
        }
      }
    }
    assertEquals(trades.rows(), valid);
    // Every kind of malformed line is there, and each is rejected for its own reason.
    assertEquals(
        TradeWriter.BAD_KINDS,
        trades.rejects().stream()
            .map(Manifest.Reject::kind)
            .distinct()
            .sorted(java.util.Comparator.comparing(TradeWriter.BAD_KINDS::indexOf))
            .toList());
  }

  @Test
  void badTradesFailForTheirStatedReason() throws IOException {
    Manifest manifest = SampleGenerator.generate(SampleGenerator.BUNDLED_SAMPLE, dir);
    Manifest.StreamCounts trades = manifest.stream(CoinCapStream.TRADES);
    for (Manifest.Reject reject : trades.rejects()) {
      String text = lineAt(reject.source());
      if (reject.kind().equals("truncated-json")) {
        assertEquals(Manifest.Level.RECORD, reject.level());
        assertThrows(IOException.class, () -> JSON.readTree(text), text);
        continue;
      }
      assertEquals(Manifest.Level.ROW, reject.level());
      JsonNode node = JSON.readTree(text);
      MalformedRecordException e =
          assertThrows(MalformedRecordException.class, () -> TradeMessage.parse(node));
      String expected =
          switch (reject.kind()) {
            case "non-numeric-price" -> "price";
            case "missing-field" -> "missing";
            case "unknown-direction" -> "direction";
            case "negative-volume" -> "volume";
            default -> throw new AssertionError(reject.kind());
          };
      assertTrue(e.getMessage().contains(expected), reject + ": " + e.getMessage());
    }
  }

  private String lineAt(String source) throws IOException {
    int colon = source.lastIndexOf(':');
    String file = source.substring(0, colon);
    for (Recount.Item item : Recount.records(dir.resolve(file), file)) {
      if (item.source().equals(source)) {
        return item.text();
      }
    }
    throw new AssertionError("no line " + source);
  }
}
