package io.coinbeam.io.parquet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The swap of a batch run's tables, on real folders: what a reader of the output root finds after a
 * commit, an abandoned run, a run killed before or during its commit, and two streams' runs.
 */
class StagedTablesTest {
  @TempDir Path out;
  private final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
  private final PrintStream log = new PrintStream(logBytes, true, StandardCharsets.UTF_8);

  private static final List<String> TRADES_DEAD_LETTERS =
      List.of("dead_letters-trades-", "dead_letters-trade_candles-bigquery-refused-");
  private static final List<String> ASSETS_DEAD_LETTERS =
      List.of("dead_letters-assets-", "dead_letters-asset_stats-bigquery-refused-");

  private StagedTables begin(String table, List<String> deadLetters) throws Exception {
    return StagedTables.begin(out, List.of(table), deadLetters, log);
  }

  private static void write(Path file, String text) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
  }

  /** Every file under the output root, relative path to content (hidden run folders included). */
  private Map<String, String> tree() throws IOException {
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(out)) {
      for (Path p : walk.filter(Files::isRegularFile).toList()) {
        files.put(out.relativize(p).toString(), Files.readString(p));
      }
    }
    return files;
  }

  @Test
  void aCommitReplacesTheTableWholeAndLeavesNoRunFolderBehind() throws Exception {
    write(out.resolve("trade_candles/trade_candles-00000-of-00002.parquet"), "old 0");
    write(out.resolve("trade_candles/trade_candles-00001-of-00002.parquet"), "old 1");
    write(out.resolve("dead_letters/dead_letters-trades-00000-of-00001.parquet"), "old dl");
    StagedTables run = begin("trade_candles", TRADES_DEAD_LETTERS);
    // The run writes under its hidden folder; the visible table is untouched until the commit.
    write(run.root().resolve("trade_candles/trade_candles-00000-of-00001.parquet"), "new 0");
    write(run.root().resolve("dead_letters/dead_letters-trades-00000-of-00003.parquet"), "new dl");
    // What FileIO can leave beside its files: an emptied temporary folder, and a stray file in it.
    Files.createDirectories(run.root().resolve("trade_candles/.temp-beam-1/empty"));
    write(run.root().resolve("dead_letters/.temp-beam-2/x"), "temp");
    assertEquals("old 0", tree().get("trade_candles/trade_candles-00000-of-00002.parquet"));
    run.commit();
    assertFalse(Files.exists(out.resolve("trade_candles/.temp-beam-1")), "no temp folder shown");
    assertEquals(
        Map.of(
            "trade_candles/trade_candles-00000-of-00001.parquet", "new 0",
            "dead_letters/dead_letters-trades-00000-of-00003.parquet", "new dl"),
        tree());
    assertTrue(run.committed());
    assertEquals(List.of(), listRuns(), "the run folder is gone");
  }

  @Test
  void anAbandonedRunLeavesEveryTableExactlyAsItWas() throws Exception {
    write(out.resolve("trade_candles/trade_candles-00000-of-00001.parquet"), "old");
    write(out.resolve("dead_letters/dead_letters-trades-00000-of-00001.parquet"), "old dl");
    Map<String, String> before = tree();
    StagedTables run = begin("trade_candles", TRADES_DEAD_LETTERS);
    write(run.root().resolve("trade_candles/.temp-beam-1/part"), "half written");
    run.abandon();
    assertEquals(before, tree());
    assertFalse(run.committed());
  }

  @Test
  void oneStreamsRunKeepsTheOtherStreamsDeadLettersAndTables() throws Exception {
    write(out.resolve("trade_candles/trade_candles-00000-of-00001.parquet"), "candles");
    write(out.resolve("dead_letters/dead_letters-trades-00000-of-00001.parquet"), "trades dl");
    write(
        out.resolve(
            "dead_letters/dead_letters-trade_candles-bigquery-refused-00000-of-00001.parquet"),
        "refused");
    write(out.resolve("dead_letters/dead_letters-assets-00000-of-00002.parquet"), "old assets 0");
    write(out.resolve("dead_letters/dead_letters-assets-00001-of-00002.parquet"), "old assets 1");
    StagedTables run = begin("asset_stats", ASSETS_DEAD_LETTERS);
    write(run.root().resolve("asset_stats/asset_stats-00000-of-00001.parquet"), "stats");
    write(run.root().resolve("dead_letters/dead_letters-assets-00000-of-00001.parquet"), "assets");
    run.commit();
    assertEquals(
        Map.of(
            "trade_candles/trade_candles-00000-of-00001.parquet", "candles",
            "dead_letters/dead_letters-trades-00000-of-00001.parquet", "trades dl",
            "dead_letters/dead_letters-trade_candles-bigquery-refused-00000-of-00001.parquet",
                "refused",
            "asset_stats/asset_stats-00000-of-00001.parquet", "stats",
            "dead_letters/dead_letters-assets-00000-of-00001.parquet", "assets"),
        tree());
  }

  @Test
  void aRunThatWroteNoFileForATableLeavesItEmptyNotStale() throws Exception {
    write(out.resolve("trade_candles/trade_candles-00000-of-00001.parquet"), "stale");
    StagedTables run = begin("trade_candles", TRADES_DEAD_LETTERS);
    run.commit();
    assertTrue(Files.isDirectory(out.resolve("trade_candles")));
    assertEquals(Map.of(), tree());
  }

  @Test
  void theNextRunRemovesWhatAKilledRunLeftBeforeItsCommit() throws Exception {
    write(out.resolve("trade_candles/trade_candles-00000-of-00001.parquet"), "old");
    // A run that was killed: its folder and an unlocked lock file remain.
    Path dead = out.resolve(StagedTables.RUNS_FOLDER).resolve("20240101T000000Z-1");
    write(dead.resolve("trade_candles/trade_candles-00000-of-00001.parquet"), "never shown");
    write(out.resolve(StagedTables.RUNS_FOLDER).resolve("20240101T000000Z-1.lock"), "");
    StagedTables next = begin("trade_candles", TRADES_DEAD_LETTERS);
    assertFalse(Files.exists(dead));
    assertTrue(
        logBytes
            .toString(StandardCharsets.UTF_8)
            .contains("removed the unfinished output of run 20240101T000000Z-1"));
    next.abandon();
    assertEquals(Map.of("trade_candles/trade_candles-00000-of-00001.parquet", "old"), tree());
  }

  @Test
  void theNextRunFinishesACommitThatAKillCutShort() throws Exception {
    // The state after a kill between the two renames: the old table set aside, the new one not
    // yet moved in; a dead-letter file moved, the other not yet, the old ones not yet deleted.
    Path dead = out.resolve(StagedTables.RUNS_FOLDER).resolve("20240101T000000Z-2");
    write(dead.resolve(".replaced/trade_candles/trade_candles-00000-of-00001.parquet"), "old");
    write(dead.resolve("trade_candles/trade_candles-00000-of-00001.parquet"), "new");
    write(
        dead.resolve("dead_letters.names"),
        "dead_letters-trades-00000-of-00002.parquet\n"
            + "dead_letters-trades-00001-of-00002.parquet\n");
    write(out.resolve("dead_letters/dead_letters-trades-00000-of-00002.parquet"), "new dl 0");
    write(dead.resolve("dead_letters/dead_letters-trades-00001-of-00002.parquet"), "new dl 1");
    write(out.resolve("dead_letters/dead_letters-trades-00000-of-00001.parquet"), "old dl");
    write(out.resolve("dead_letters/dead_letters-rates-00000-of-00001.parquet"), "rates dl");
    write(dead.resolve("COMMIT"), "table trade_candles\ndead-letters dead_letters-trades-\n");
    StagedTables next = begin("rate_stats", List.of("dead_letters-rates-"));
    assertTrue(
        logBytes
            .toString(StandardCharsets.UTF_8)
            .contains("finished the table swap of run 20240101T000000Z-2"));
    next.abandon();
    assertEquals(
        Map.of(
            "trade_candles/trade_candles-00000-of-00001.parquet", "new",
            "dead_letters/dead_letters-trades-00000-of-00002.parquet", "new dl 0",
            "dead_letters/dead_letters-trades-00001-of-00002.parquet", "new dl 1",
            "dead_letters/dead_letters-rates-00000-of-00001.parquet", "rates dl"),
        tree());
  }

  @Test
  void aLiveRunsFolderIsNotTouchedByAnotherRun() throws Exception {
    StagedTables first = begin("trade_candles", TRADES_DEAD_LETTERS);
    write(first.root().resolve("trade_candles/trade_candles-00000-of-00001.parquet"), "first");
    StagedTables second = begin("asset_stats", ASSETS_DEAD_LETTERS);
    assertTrue(Files.exists(first.root().resolve("trade_candles")), "the live run's files stay");
    second.abandon();
    first.commit();
    assertEquals(Map.of("trade_candles/trade_candles-00000-of-00001.parquet", "first"), tree());
  }

  @Test
  void anOutputThatIsAFileOrCannotBeMadeIsRefusedBeforeTheRun() throws Exception {
    Path file = out.resolve("a-file");
    Files.writeString(file, "x");
    StagedTables.OutputProblem isFile =
        assertThrows(
            StagedTables.OutputProblem.class,
            () -> StagedTables.begin(file, List.of("trade_candles"), TRADES_DEAD_LETTERS, log));
    assertTrue(isFile.getMessage().contains("is a file, not a folder"), isFile.getMessage());
    StagedTables.OutputProblem under =
        assertThrows(
            StagedTables.OutputProblem.class,
            () ->
                StagedTables.begin(
                    file.resolve("sub"), List.of("trade_candles"), TRADES_DEAD_LETTERS, log));
    assertTrue(under.getMessage().contains("cannot write to --output="), under.getMessage());
    assertEquals("x", Files.readString(file));
  }

  private List<Path> listRuns() throws IOException {
    Path runs = out.resolve(StagedTables.RUNS_FOLDER);
    if (!Files.exists(runs)) {
      return List.of();
    }
    try (Stream<Path> entries = Files.list(runs)) {
      return entries.toList();
    }
  }
}
