package io.coinbeam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coinbeam.catalog.CoinCapStream;
import io.coinbeam.sample.Manifest;
import io.coinbeam.testing.ParquetFiles;
import io.coinbeam.testing.ProjectFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code make run} does, checked on the files it writes: all five streams over the bundled
 * sample, and every input record accounted for against the generator's manifest, which counts them
 * independently of the pipeline.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BundledSampleEndToEndTest {
  @TempDir static Path out;
  private final Path sample = ProjectFiles.root().resolve("data/sample");
  private Manifest manifest;
  private final Map<String, List<GenericRecord>> tables = new HashMap<>();

  @BeforeAll
  void runOnTheSample() throws Exception {
    manifest = Manifest.read(sample);
    assertEquals(CoinbeamPipeline.EXIT_OK, run());
    for (String table : tableNames()) {
      tables.put(table, ParquetFiles.readTable(out.resolve(table)));
    }
  }

  private int run() {
    return CoinbeamPipeline.run(
        new String[] {"--input=" + sample + "/{stream}/*", "--output=" + out});
  }

  private static List<String> tableNames() {
    List<String> names = new ArrayList<>();
    for (CoinCapStream stream : CoinCapStream.values()) {
      names.add(stream.tableName());
    }
    names.add("dead_letters");
    return names;
  }

  @Test
  void everyBadRecordIsADeadLetterWithItsSource() {
    for (CoinCapStream stream : CoinCapStream.values()) {
      Manifest.StreamCounts counts = manifest.stream(CoinCapStream.valueOf(stream.name()));
      Set<String> expected = new TreeSet<>();
      counts.rejects().forEach(r -> expected.add(sample.resolve(r.source()).toString()));
      Set<String> actual = new TreeSet<>();
      for (GenericRecord dead : tables.get("dead_letters")) {
        if (dead.get("stream").toString().equals(stream.id())) {
          actual.add(dead.get("source").toString());
          assertFalse(dead.get("error").toString().isBlank());
          assertFalse(dead.get("payload").toString().isBlank());
          // observed_at: the capture time, here the input file's modification time.
          String file = dead.get("source").toString().replaceFirst(":\\d+(#data\\[\\d+])?$", "");
          assertEquals(modifiedMillis(Path.of(file)), dead.get("observed_at"), file);
        }
      }
      assertEquals(counts.deadLetters(), actual.size(), stream.id());
      assertEquals(expected, actual, stream.id());
    }
  }

  private static long modifiedMillis(Path file) {
    try {
      return java.nio.file.Files.getLastModifiedTime(file).toMillis();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void everyGoodTradeIsInExactlyOneCandle() {
    long trades = 0;
    for (GenericRecord candle : tables.get("trade_candles")) {
      trades += (Long) candle.get("trade_count");
      assertEquals(60_000L, (Long) candle.get("window_end") - (Long) candle.get("window_start"));
    }
    assertEquals(manifest.stream(CoinCapStream.TRADES).rows(), trades);
  }

  /** A re-sent snapshot counts once: observations = rows - duplicated rows. */
  @Test
  void everyDistinctSnapshotIsOneObservation() {
    for (CoinCapStream stream :
        List.of(
            CoinCapStream.ASSETS,
            CoinCapStream.RATES,
            CoinCapStream.EXCHANGES,
            CoinCapStream.MARKETS)) {
      Manifest.StreamCounts counts = manifest.stream(CoinCapStream.valueOf(stream.name()));
      long observations = 0;
      for (GenericRecord row : tables.get(stream.tableName())) {
        observations += (Long) row.get("observations");
        assertEquals(300_000L, (Long) row.get("window_end") - (Long) row.get("window_start"));
      }
      assertEquals(counts.rows() - counts.duplicateRows(), observations, stream.id());
    }
  }

  @Test
  void keysAreUniqueAndTablesAreNotEmpty() {
    for (CoinCapStream stream : CoinCapStream.values()) {
      List<String> key = stream.table().key();
      List<GenericRecord> rows = tables.get(stream.tableName());
      assertFalse(rows.isEmpty(), stream.id());
      Set<List<Object>> keys = new HashSet<>();
      for (GenericRecord row : rows) {
        List<Object> k = new ArrayList<>();
        key.forEach(column -> k.add(String.valueOf(row.get(column))));
        assertTrue(keys.add(k), "duplicate key " + k + " in " + stream.id());
      }
    }
  }

  @Test
  void timestampsAreParquetTimestamps() throws Exception {
    String schema = ParquetFiles.parquetSchema(out.resolve("trade_candles"));
    assertTrue(schema.contains("required int64 window_start (TIMESTAMP(MILLIS,true))"), schema);
    assertTrue(schema.contains("required int64 first_trade_at (TIMESTAMP(MILLIS,true))"), schema);
    assertTrue(schema.contains("optional binary pane_timing (STRING)"), schema);
    String dead = ParquetFiles.parquetSchema(out.resolve("dead_letters"));
    assertTrue(dead.contains("required int64 observed_at (TIMESTAMP(MILLIS,true))"), dead);
  }

  /** A second run into the same folder replaces the first and writes the very same rows. */
  @Test
  void aSecondRunGivesTheSameRows() throws Exception {
    assertEquals(CoinbeamPipeline.EXIT_OK, run());
    for (String table : tableNames()) {
      List<GenericRecord> again = ParquetFiles.readTable(out.resolve(table));
      assertEquals(asStrings(tables.get(table)), asStrings(again), table);
    }
  }

  private static List<String> asStrings(List<GenericRecord> rows) {
    List<String> out = new ArrayList<>();
    rows.forEach(r -> out.add(r.toString()));
    out.sort(null);
    return out;
  }
}
