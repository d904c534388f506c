package io.coinbeam.io.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coinbeam.schema.TableDefinition;
import io.coinbeam.testing.TestPostgres;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The migrations against a real PostgreSQL, and the check that holds them to the schema files. */
class PostgresMigrationsTest {
  private static final List<TableDefinition> ALL =
      TableDefinition.allNames().stream().map(TableDefinition::named).toList();

  @Test
  void aFreshDatabaseGetsEveryMigrationOnceAndMatchesTheSchemaFiles() throws SQLException {
    TestPostgres.Database db = TestPostgres.freshDatabase();
    try (Connection connection = db.connect()) {
      List<PostgresMigrations.Migration> first = PostgresMigrations.migrate(connection);
      assertEquals(List.of("V1__create_tables.sql"), first.stream().map(m -> m.file()).toList());
      assertEquals(List.of(), PostgresMigrations.migrate(connection), "second run applies nothing");
      assertEquals(List.of(), PostgresSchemaCheck.problems(connection, ALL));
      assertEquals(
          List.of(
              "asset_stats",
              "coinbeam_schema_history",
              "dead_letters",
              "exchange_stats",
              "market_stats",
              "rate_stats",
              "trade_candles"),
          strings(
              connection,
              "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
                  + " ORDER BY 1"));
    }
  }

  @Test
  void theTimeRangeIndexesExistForEveryTable() throws SQLException {
    TestPostgres.Database db = TestPostgres.freshDatabase();
    try (Connection connection = db.connect()) {
      PostgresMigrations.migrate(connection);
      List<String> indexes =
          strings(
              connection,
              "SELECT indexname || ': ' || indexdef FROM pg_indexes WHERE schemaname = 'public'"
                  + " AND indexname LIKE '%window_start_idx' OR indexname = 'dead_letters_observed_at_idx'"
                  + " ORDER BY 1");
      assertEquals(6, indexes.size(), indexes.toString());
      assertTrue(
          indexes.contains(
              "trade_candles_window_start_idx: CREATE INDEX trade_candles_window_start_idx ON"
                  + " public.trade_candles USING btree (window_start)"),
          indexes.toString());
    }
  }

  @Test
  void theCheckNamesEveryDifference() throws SQLException {
    TestPostgres.Database db = TestPostgres.freshDatabase();
    try (Connection connection = db.connect();
        Statement statement = connection.createStatement()) {
      PostgresMigrations.migrate(connection);
      statement.execute("ALTER TABLE trade_candles DROP COLUMN vwap");
      statement.execute("ALTER TABLE trade_candles ALTER COLUMN volume TYPE double precision");
      statement.execute("ALTER TABLE trade_candles ALTER COLUMN pane_timing SET NOT NULL");
      statement.execute("ALTER TABLE trade_candles ADD COLUMN surprise text");
      statement.execute("DROP TABLE rate_stats");
      assertEquals(
          List.of(
              "trade_candles.volume: is double precision, should be numeric",
              "trade_candles.vwap: column missing (numeric)",
              "trade_candles.pane_timing: is NOT NULL, should allow null",
              "trade_candles.surprise: not in the schema files",
              "rate_stats: table missing"),
          PostgresSchemaCheck.problems(
              connection,
              List.of(
                  TableDefinition.named("trade_candles"), TableDefinition.named("rate_stats"))));
    }
  }

  @Test
  void anEditedMigrationIsRefused() throws SQLException {
    TestPostgres.Database db = TestPostgres.freshDatabase();
    try (Connection connection = db.connect();
        Statement statement = connection.createStatement()) {
      PostgresMigrations.migrate(connection);
      statement.execute("UPDATE coinbeam_schema_history SET checksum = 'x' WHERE version = 1");
      SQLException refused =
          assertThrows(SQLException.class, () -> PostgresMigrations.migrate(connection));
      assertTrue(
          refused.getMessage().contains("V1__create_tables.sql changed after it was applied"),
          refused.getMessage());
    }
  }

  @Test
  void aDatabaseFromANewerBuildIsRefused() throws SQLException {
    TestPostgres.Database db = TestPostgres.freshDatabase();
    try (Connection connection = db.connect();
        Statement statement = connection.createStatement()) {
      PostgresMigrations.migrate(connection);
      statement.execute(
          "INSERT INTO coinbeam_schema_history (version, description, checksum)"
              + " VALUES (2, 'from the future', 'y')");
      SQLException refused =
          assertThrows(SQLException.class, () -> PostgresMigrations.migrate(connection));
      assertTrue(
          refused.getMessage().contains("newer than this build knows"), refused.getMessage());
    }
  }

  @Test
  void preflightWithoutMigratingSaysToRunDbMigrate() {
    TestPostgres.Database db = TestPostgres.freshDatabase();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    boolean ready =
        PostgresPreflight.prepare(
            db.target(), ALL, false, new PrintStream(new ByteArrayOutputStream()), print(err));
    assertEquals(false, ready);
    String message = err.toString(StandardCharsets.UTF_8);
    assertTrue(message.contains("trade_candles: table missing"), message);
    assertTrue(message.contains("make db-migrate"), message);
  }

  @Test
  void preflightSaysHowToReachTheDatabaseWhenNothingListens() throws Exception {
    int closedPort;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    boolean ready =
        PostgresPreflight.prepare(
            PostgresTarget.of("jdbc:postgresql://127.0.0.1:" + closedPort + "/coinbeam", "u", "p"),
            ALL,
            true,
            new PrintStream(new ByteArrayOutputStream()),
            print(err));
    assertEquals(false, ready);
    String message = err.toString(StandardCharsets.UTF_8);
    assertTrue(
        message.contains(
            "cannot connect to PostgreSQL at u@jdbc:postgresql://127.0.0.1:" + closedPort),
        message);
    assertTrue(message.contains("make up") && message.contains("PG_URL"), message);
    assertTrue(!message.contains("p@") && !message.contains(":p "), "no password in: " + message);
  }

  private static PrintStream print(ByteArrayOutputStream bytes) {
    return new PrintStream(bytes, true, StandardCharsets.UTF_8);
  }

  static List<String> strings(Connection connection, String sql) throws SQLException {
    List<String> values = new ArrayList<>();
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      while (rows.next()) {
        values.add(rows.getString(1));
      }
    }
    return values;
  }
}
