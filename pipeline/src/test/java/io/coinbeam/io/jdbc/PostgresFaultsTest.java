package io.coinbeam.io.jdbc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.coinbeam.CoinbeamPipeline;
import io.coinbeam.schema.TableDefinition;
import io.coinbeam.testing.CapturedStderr;
import io.coinbeam.testing.ParquetFiles;
import io.coinbeam.testing.PostgresTables;
import io.coinbeam.testing.ProjectFiles;
import io.coinbeam.testing.TestPostgres;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The PostgreSQL sink when the database misbehaves: transient errors injected by a trigger are
 * retried, a dropped connection is replaced, a permanent error fails the run with the reason, and a
 * database stopped in the middle of a run fails it with what was not written; the rerun after a
 * restart converges to the full result.
 */
class PostgresFaultsTest {
  private static final TableDefinition CANDLES = TableDefinition.named("trade_candles");
  private final Path trades = ProjectFiles.root().resolve("data/sample/trades/*");
  @TempDir Path out;

  @RegisterExtension final CapturedStderr err = new CapturedStderr();

  private String stderr() {
    return err.text();
  }

  private int runTrades(TestPostgres.Database db, String... more) {
    List<String> args = new ArrayList<>();
    args.add("--streams=trades");
    args.add("--input=" + trades);
    args.add("--output=" + out);
    args.add("--sinks=postgres,parquet");
    args.addAll(List.of(db.flags()));
    args.addAll(List.of(more));
    return CoinbeamPipeline.run(args.toArray(String[]::new));
  }

  private static void execute(TestPostgres.Database db, String... sql) throws SQLException {
    try (Connection connection = db.connect();
        Statement statement = connection.createStatement()) {
      for (String s : sql) {
        statement.execute(s);
      }
    }
  }

  private static long single(TestPostgres.Database db, String sql) throws SQLException {
    try (Connection connection = db.connect()) {
      return Long.parseLong(PostgresMigrationsTest.strings(connection, sql).get(0));
    }
  }

  private void assertPostgresHoldsTheParquetCandles(TestPostgres.Database db) throws Exception {
    List<java.util.Map<String, Object>> parquet =
        ParquetFiles.readRows(out.resolve(CANDLES.name()), CANDLES);
    assertEquals(668, parquet.size());
    try (Connection connection = db.connect()) {
      assertEquals(
          PostgresTables.sortedByKey(parquet, CANDLES),
          PostgresTables.sortedByKey(PostgresTables.read(connection, CANDLES), CANDLES));
    }
  }

  /** A trigger on trade_candles that runs {@code body} for every row written. */
  private static void trigger(TestPostgres.Database db, String body) throws SQLException {
    try (Connection connection = db.connect()) {
      PostgresMigrations.migrate(connection);
    }
    execute(
        db,
        "CREATE SEQUENCE attempts",
        "CREATE FUNCTION inject() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            + body
            + " RETURN NEW; END $$",
        "CREATE TRIGGER inject BEFORE INSERT ON trade_candles FOR EACH ROW EXECUTE FUNCTION"
            + " inject()");
  }

  @Test
  void serializationFailuresAndDeadlocksAreRetried() throws Exception {
    TestPostgres.Database db = TestPostgres.freshDatabase();
    // The first two row writes fail with a serialization failure, the third with a deadlock;
    // sequences are not transactional, so the count survives the rollbacks.
    trigger(
        db,
        "IF nextval('attempts') <= 2 THEN RAISE EXCEPTION 'injected' USING ERRCODE = '40001';"
            + " ELSIF currval('attempts') = 3 THEN RAISE EXCEPTION 'injected' USING ERRCODE ="
            + " '40P01'; END IF;");
    assertEquals(CoinbeamPipeline.EXIT_OK, runTrades(db), stderr());
    assertPostgresHoldsTheParquetCandles(db);
    assertEquals(3 + 668, single(db, "SELECT last_value FROM attempts"));
  }

  @Test
  void aConnectionTheServerDropsIsReplaced() throws Exception {
    TestPostgres.Database db = TestPostgres.freshDatabase();
    // The first row write kills its own server process: the client sees the connection end.
    trigger(
        db,
        "IF nextval('attempts') = 1 THEN PERFORM pg_terminate_backend(pg_backend_pid()); END IF;");
    assertEquals(CoinbeamPipeline.EXIT_OK, runTrades(db), stderr());
    assertPostgresHoldsTheParquetCandles(db);
  }

  @Test
  void aPermanentErrorFailsTheRunWithTheStatementAndWhatToDo() throws Exception {
    // An earlier run's Parquet table, which the failing run must leave exactly as it was.
    assertEquals(
        CoinbeamPipeline.EXIT_OK,
        CoinbeamPipeline.run(
            new String[] {"--streams=trades", "--input=" + trades, "--output=" + out}));
    java.util.Map<String, byte[]> earlier = files(out.resolve(CANDLES.name()));
    assertTrue(!earlier.isEmpty(), "the earlier run wrote trade_candles");
    TestPostgres.Database db = TestPostgres.freshDatabase();
    trigger(
        db,
        "IF NEW.exchange = 'kraken' THEN RAISE EXCEPTION 'no kraken here' USING ERRCODE ="
            + " '23514'; END IF;");
    assertEquals(CoinbeamPipeline.EXIT_FAILED, runTrades(db));
    java.util.Map<String, byte[]> after = files(out.resolve(CANDLES.name()));
    assertEquals(earlier.keySet(), after.keySet());
    earlier.forEach((name, bytes) -> assertArrayEquals(bytes, after.get(name), name));
    assertTrue(stderr().contains("are as they were before this run"), stderr());
    String message = stderr();
    assertTrue(message.contains("no kraken here"), message);
    assertTrue(message.contains("did not take every row"), message);
    assertTrue(message.contains("trade_candles, dead_letters"), message);
    assertTrue(message.contains("run the same command again"), message);
  }

  @Test
  void aDatabaseStoppedMidRunFailsItAndTheRerunConverges(@TempDir Path data) throws Exception {
    assumeFalse(
        TestPostgres.external(),
        "skipped: PG_URL names a server this test cannot stop; the embedded one runs it");
    EmbeddedPostgres server = TestPostgres.startServer(data, 0);
    int port = server.getPort();
    TestPostgres.Database db =
        new TestPostgres.Database(server.getJdbcUrl("postgres", "postgres"), "postgres", "");
    // Slow writes (20 ms a row), so the server can be stopped while batches are still going in.
    trigger(db, "PERFORM pg_sleep(0.02);");

    CompletableFuture<Integer> run =
        CompletableFuture.supplyAsync(
            () -> runTrades(db, "--postgresBatchSize=20", "--postgresRetryTimeout=3s"));
    long deadline = System.currentTimeMillis() + 120_000;
    while (countCandles(db) == 0 && System.currentTimeMillis() < deadline && !run.isDone()) {
      Thread.sleep(100);
    }
    long beforeStop = countCandles(db);
    server.close();
    int exit = run.get(3, TimeUnit.MINUTES);

    assertTrue(beforeStop > 0 && beforeStop < 668, "stopped mid-run, at " + beforeStop + " rows");
    assertEquals(CoinbeamPipeline.EXIT_FAILED, exit);
    String message = stderr();
    assertTrue(message.contains("did not take every row"), message);
    assertTrue(message.contains("in trade_candles, dead_letters"), message);

    EmbeddedPostgres restarted = TestPostgres.startServer(data, port);
    try {
      execute(db, "DROP TRIGGER inject ON trade_candles");
      assertTrue(countCandles(db) < 668, "the failed run left rows out");
      assertEquals(CoinbeamPipeline.EXIT_OK, runTrades(db), stderr());
      assertPostgresHoldsTheParquetCandles(db);
    } finally {
      restarted.close();
    }
  }

  private static long countCandles(TestPostgres.Database db) {
    try (Connection connection = DriverManager.getConnection(db.url(), db.user(), db.password())) {
      return Long.parseLong(
          PostgresMigrationsTest.strings(connection, "SELECT count(*) FROM trade_candles").get(0));
    } catch (SQLException e) {
      return 0;
    }
  }

  /** The files of a folder by name, with their bytes. */
  private static java.util.Map<String, byte[]> files(Path folder) throws java.io.IOException {
    java.util.Map<String, byte[]> files = new java.util.TreeMap<>();
    try (java.util.stream.Stream<Path> listing = java.nio.file.Files.list(folder)) {
      for (Path file : listing.toList()) {
        files.put(file.getFileName().toString(), java.nio.file.Files.readAllBytes(file));
      }
    }
    return files;
  }
}
