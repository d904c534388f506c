package io.coinbeam;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.coinbeam.catalog.CoinCapStream;
import io.coinbeam.rows.DeadLetters;
import io.coinbeam.sample.Manifest;
import io.coinbeam.schema.TableDefinition;
import io.coinbeam.testing.ParquetFiles;
import io.coinbeam.testing.PostgresTables;
import io.coinbeam.testing.ProjectFiles;
import io.coinbeam.testing.TestPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code make run SINKS=parquet,postgres} on the bundled sample: PostgreSQL holds exactly the
 * Parquet rows, every column of all five tables and dead_letters, and a second run changes nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresSinkEndToEndTest {
  @TempDir static Path out;
  private final Path sample = ProjectFiles.root().resolve("data/sample");
  private TestPostgres.Database db;
  private final Map<String, List<Map<String, Object>>> afterFirstRun = new HashMap<>();

  private int run() {
    List<String> args = new ArrayList<>();
    args.add("--input=" + sample + "/{stream}/*");
    args.add("--output=" + out);
    args.add("--sinks=parquet,postgres");
    args.addAll(List.of(db.flags()));
    return CoinbeamPipeline.run(args.toArray(String[]::new));
  }

  private static List<TableDefinition> tables() {
    return TableDefinition.allNames().stream().map(TableDefinition::named).toList();
  }

  @BeforeAll
  void runTwice() throws Exception {
    db = TestPostgres.freshDatabase();
    assertEquals(CoinbeamPipeline.EXIT_OK, run());
    try (Connection connection = db.connect()) {
      for (TableDefinition table : tables()) {
        afterFirstRun.put(
            table.name(), PostgresTables.read(connection, table, List.of("written_at", "xmin")));
      }
    }
    assertEquals(CoinbeamPipeline.EXIT_OK, run());
  }

  static Stream<TableDefinition> everyTable() {
    return tables().stream();
  }

  @ParameterizedTest
  @MethodSource("everyTable")
  void postgresHoldsExactlyTheParquetRows(TableDefinition table) throws Exception {
    List<Map<String, Object>> parquet = ParquetFiles.readRows(out.resolve(table.name()), table);
    List<Map<String, Object>> postgres;
    try (Connection connection = db.connect()) {
      postgres = PostgresTables.read(connection, table);
    }
    assertEquals(true, parquet.size() > 0, table + " has rows in the sample");
    assertEquals(
        PostgresTables.sortedByKey(parquet, table), PostgresTables.sortedByKey(postgres, table));
  }

  @ParameterizedTest
  @MethodSource("everyTable")
  void theSecondRunLeftEveryRowAsItWas(TableDefinition table) throws Exception {
    try (Connection connection = db.connect()) {
      assertEquals(
          afterFirstRun.get(table.name()),
          PostgresTables.read(connection, table, List.of("written_at", "xmin")));
    }
  }

  @Test
  void theRowCountsAreTheSampleSummarys() throws Exception {
    // The aggregate rows of README's summary of `make run` on the sample (the pipeline's result,
    // which no file holds); the dead letters are what the sample's manifest says is unusable.
    int deadLetters = 0;
    Manifest manifest = Manifest.read(sample);
    for (CoinCapStream stream : manifest.config().streams()) {
      deadLetters += Math.toIntExact(manifest.stream(stream).deadLetters());
    }
    Map<String, Integer> expected =
        new HashMap<>(
            Map.of(
                "trade_candles", 668,
                "asset_stats", 48,
                "rate_stats", 60,
                "exchange_stats", 42,
                "market_stats", 36));
    expected.put(DeadLetters.table().name(), deadLetters);
    try (Connection connection = db.connect()) {
      Map<String, Integer> counts = new HashMap<>();
      for (TableDefinition table : tables()) {
        counts.put(table.name(), PostgresTables.read(connection, table).size());
      }
      assertEquals(expected, counts);
    }
  }
}
