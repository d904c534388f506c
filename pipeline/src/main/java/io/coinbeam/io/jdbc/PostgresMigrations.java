package io.coinbeam.io.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The PostgreSQL schema's versioned migrations: the SQL files listed in {@code db/migration/INDEX},
 * applied in order, each once, each in its own transaction, and recorded with a checksum in {@code
 * coinbeam_schema_history}. A released file is never edited: a change to the tables is the next
 * file. An advisory lock keeps two runs that start together from applying the same file twice.
 */
public final class PostgresMigrations {
  static final String HISTORY_TABLE = "coinbeam_schema_history";
  private static final String DIR = "/db/migration/";
  // Any fixed number: the lock is only shared with other coinbeam migrators on this database.
  private static final long LOCK_ID = 0x636f696e6265616dL;

  private PostgresMigrations() {}

  /** A migration file: its version (from its V<n>__ prefix), name and text. */
  public record Migration(int version, String file, String sql) {
    String checksum() {
      try {
        byte[] digest =
            MessageDigest.getInstance("SHA-256").digest(sql.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest);
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }

    String description() {
      return file.replaceFirst("^V\\d+__", "").replaceFirst("\\.sql$", "").replace('_', ' ');
    }
  }

  /** The migrations on the classpath, in order. */
  public static List<Migration> all() {
    List<Migration> migrations = new ArrayList<>();
    for (String line : resource("INDEX").split("\n")) {
      String file = line.strip();
      if (file.isEmpty() || file.startsWith("#")) {
        continue;
      }
      if (!file.matches("V\\d+__[a-z0-9_]+\\.sql")) {
        throw new IllegalStateException("db/migration/INDEX: bad migration file name " + file);
      }
      int version = Integer.parseInt(file.substring(1, file.indexOf("__")));
      if (version != migrations.size() + 1) {
        throw new IllegalStateException(
            "db/migration/INDEX: " + file + " should be V" + (migrations.size() + 1));
      }
      migrations.add(new Migration(version, file, resource(file)));
    }
    return migrations;
  }

  /**
   * Applies the migrations the database has not had yet, and returns them. Fails, changing nothing,
   * when an applied migration's file has changed since, or the database has a newer migration than
   * this build knows (an older jar against a newer schema).
   */
  public static List<Migration> migrate(Connection connection) throws SQLException {
    List<Migration> applied = new ArrayList<>();
    boolean autoCommit = connection.getAutoCommit();
    connection.setAutoCommit(true);
    try (Statement statement = connection.createStatement()) {
      statement.execute("SELECT pg_advisory_lock(" + LOCK_ID + ")");
      try {
        statement.execute(
            "CREATE TABLE IF NOT EXISTS "
                + HISTORY_TABLE
                + " (version integer PRIMARY KEY, description text NOT NULL,"
                + " checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())");
        Map<Integer, String> done = appliedChecksums(connection);
        List<Migration> known = all();
        for (Integer version : done.keySet()) {
          if (version > known.size()) {
            throw new SQLException(
                "the database has schema migration V"
                    + version
                    + ", newer than this build knows (V"
                    + known.size()
                    + "); use a newer coinbeam jar");
          }
        }
        for (Migration migration : known) {
          String checksum = done.get(migration.version());
          if (checksum == null) {
            apply(connection, migration);
            applied.add(migration);
          } else if (!checksum.equals(migration.checksum())) {
            throw new SQLException(
                "migration "
                    + migration.file()
                    + " changed after it was applied to this database; released migrations must"
                    + " not be edited (add the next V<n>__ file instead)");
          }
        }
      } finally {
        statement.execute("SELECT pg_advisory_unlock(" + LOCK_ID + ")");
      }
    } finally {
      connection.setAutoCommit(autoCommit);
    }
    return applied;
  }

  private static Map<Integer, String> appliedChecksums(Connection connection) throws SQLException {
    Map<Integer, String> done = new LinkedHashMap<>();
    try (Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery(
                "SELECT version, checksum FROM " + HISTORY_TABLE + " ORDER BY version")) {
      while (rows.next()) {
        done.put(rows.getInt(1), rows.getString(2));
      }
    }
    return done;
  }

  private static void apply(Connection connection, Migration migration) throws SQLException {
    connection.setAutoCommit(false);
    try (Statement statement = connection.createStatement();
        PreparedStatement record =
            connection.prepareStatement(
                "INSERT INTO "
                    + HISTORY_TABLE
                    + " (version, description, checksum) VALUES (?, ?, ?)")) {
      statement.execute(migration.sql());
      record.setInt(1, migration.version());
      record.setString(2, migration.description());
      record.setString(3, migration.checksum());
      record.executeUpdate();
      connection.commit();
    } catch (SQLException e) {
      connection.rollback();
      throw new SQLException(
          "migration " + migration.file() + " failed, nothing of it applied: " + e.getMessage(),
          e.getSQLState(),
          e);
    } finally {
      connection.setAutoCommit(true);
    }
  }

  private static String resource(String file) {
    try (InputStream in = PostgresMigrations.class.getResourceAsStream(DIR + file)) {
      if (in == null) {
        throw new IllegalStateException("missing from the classpath: db/migration/" + file);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
