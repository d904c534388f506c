package io.coinbeam.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

/**
 * The benchmark's single-machine reference: {@code trade_candles} computed by DuckDB in one SQL
 * statement over the same NDJSON files, written as Parquet. It is what a user with one machine and
 * no framework would reach for, so every contender's time is also given as a ratio to it.
 *
 * <p>It talks to DuckDB through {@code java.sql} only ({@code jdbc:duckdb:}, an in-memory
 * database), so nothing here compiles against the driver; it is in the benchmark's jar and in no
 * runner jar.
 *
 * <p>The SQL keeps the rows the pipeline keeps, as far as SQL expresses its rules ({@link #SQL}):
 * the eight fields read with explicit types, a line that is not JSON or a value that does not
 * convert becomes NULL ({@code ignore_errors}) and NULLs are dropped; text not blank, direction buy
 * or sell after trimming and lower-casing, price and volume positive, priceUsd not negative, whole
 * seconds scaled to milliseconds, timestamps in 2009..2100. Candles are one-minute windows, open
 * and close the price of the first and last trade in {@code (timestamp, price, volume)} order
 * ({@code arg_min}/{@code arg_max} over that row), sums with Kahan-Babuska compensation ({@code
 * fsum}). Where it differs from the pipeline (it writes no dead letters; a fractional or exponent
 * timestamp is rounded to a whole number instead of rejected; only spaces count as blank) is said
 * in docs/BENCHMARKS.md.
 *
 * <pre>
 * java -cp bench/target/coinbeam-bench.jar io.coinbeam.bench.DuckDbCandles \
 *     --input=DIR/trades/* --output=OUT
 * </pre>
 */
public final class DuckDbCandles {
  /** The driver class the benchmark looks for on its own class path. */
  static final String DRIVER = "org.duckdb.DuckDBDriver";

  /** The statement: parameter 1 the input glob, parameter 2 the Parquet file to write. */
  static final String SQL =
      """
      COPY (
        WITH parsed AS (
          SELECT exchange, base, quote, lower(trim(direction)) AS side, price, volume,
                 "priceUsd" AS price_usd,
                 CASE WHEN "timestamp" > 0 AND "timestamp" < 100000000000
                      THEN "timestamp" * 1000 ELSE "timestamp" END AS ts
          FROM read_json(?, format = 'newline_delimited', ignore_errors = true,
                         columns = {exchange: 'VARCHAR', base: 'VARCHAR', quote: 'VARCHAR',
                                    direction: 'VARCHAR', price: 'DOUBLE', volume: 'DOUBLE',
                                    "timestamp": 'BIGINT', "priceUsd": 'DOUBLE'})
        ),
        trades AS (
          SELECT *, ts - ts % 60000 AS window_ms
          FROM parsed
          WHERE trim(exchange) <> '' AND trim(base) <> '' AND trim(quote) <> ''
            AND side IN ('buy', 'sell')
            AND price > 0 AND volume > 0 AND price_usd >= 0
            AND ts >= 1230940800000 AND ts < 4102444800000
        )
        SELECT exchange, base, quote,
               epoch_ms(window_ms) AS window_start,
               epoch_ms(window_ms + 60000) AS window_end,
               arg_min(price, (ts, price, volume)) AS open,
               max(price) AS high,
               min(price) AS low,
               arg_max(price, (ts, price, volume)) AS close,
               fsum(volume) AS volume,
               fsum(volume * price_usd) AS volume_usd,
               fsum(price * volume) / fsum(volume) AS vwap,
               count(*) AS trade_count,
               -- count_if is a HUGEINT, which Parquet would get as a double.
               CAST(count_if(side = 'buy') AS BIGINT) AS buy_count,
               CAST(count_if(side = 'sell') AS BIGINT) AS sell_count,
               fsum(CASE WHEN side = 'buy' THEN volume ELSE 0.0 END) AS buy_volume,
               fsum(CASE WHEN side = 'sell' THEN volume ELSE 0.0 END) AS sell_volume,
               epoch_ms(min(ts)) AS first_trade_at,
               epoch_ms(max(ts)) AS last_trade_at,
               CAST(NULL AS VARCHAR) AS pane_timing,
               CAST(NULL AS BIGINT) AS pane_index
        FROM trades
        GROUP BY exchange, base, quote, window_ms
      ) TO ? (FORMAT parquet, COMPRESSION snappy)
      """;

  private DuckDbCandles() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  static int run(String[] args) {
    InputOutputFlags flags = InputOutputFlags.parse("DuckDbCandles", "GLOB", args);
    if (flags == null) {
      return 2;
    }
    String input = flags.input();
    String output = flags.output();
    long started = System.nanoTime();
    try {
      long candles = candles(input, Path.of(output));
      System.out.printf(
          Locale.ROOT,
          "duckdb: %,d candles written in %.1f s%n",
          candles,
          (System.nanoTime() - started) / 1e9);
      return 0;
    } catch (SQLException | IOException | RuntimeException e) {
      System.err.println("DuckDbCandles: failed: " + e);
      return 1;
    }
  }

  /**
   * Runs {@link #SQL} over {@code input} into {@code output/trade_candles/candles.parquet}; returns
   * the number of candles written.
   */
  static long candles(String input, Path output) throws SQLException, IOException {
    Path table = output.resolve("trade_candles");
    Files.createDirectories(table);
    // DuckDB's memory is native, outside the Java heap: capped at the heap limit every contender
    // gets, so it runs under the same budget. It spills beyond that into a folder of its own.
    Path spill = output.resolve(".duckdb-tmp");
    long limitMb = Math.max(64, Runtime.getRuntime().maxMemory() / (1024 * 1024));
    try (Connection db = DriverManager.getConnection("jdbc:duckdb:")) {
      try (Statement settings = db.createStatement()) {
        // Numbers and a path this program made, not input: SET takes no parameters.
        settings.execute("SET memory_limit = '" + limitMb + "MB'");
        settings.execute("SET temp_directory = '" + spill.toString().replace("'", "''") + "'");
        settings.execute("SET preserve_insertion_order = false");
      }
      try (PreparedStatement copy = db.prepareStatement(SQL)) {
        copy.setString(1, input);
        copy.setString(2, table.resolve("candles.parquet").toString());
        if (!copy.execute()) {
          return copy.getUpdateCount();
        }
        try (java.sql.ResultSet count = copy.getResultSet()) {
          return count.next() ? count.getLong(1) : -1;
        }
      }
    } finally {
      BatchThroughput.deleteTree(spill);
    }
  }
}
