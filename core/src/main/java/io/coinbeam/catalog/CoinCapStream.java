package io.coinbeam.catalog;

import io.coinbeam.schema.TableDefinition;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The five CoinCap streams and what every part of coinbeam knows them by: the name users type
 * ({@code --streams=trades,assets}, {@code make trades}), the folder and topic named after it, and
 * the aggregate table it fills. It holds no Beam type, so the ingester, the replay tool and the
 * sample generator share it with the pipeline instead of keeping lists of their own.
 *
 * <p>Which table each stream fills is typed once, in the resource {@code
 * io/coinbeam/catalog/streams.tsv} ({@code stream table} lines), which the Makefile reads too (for
 * its per-stream targets and {@code TABLE_<stream>}). The file must name every constant here once,
 * in this order, or the class does not load.
 */
public enum CoinCapStream {
  TRADES(false),
  ASSETS(true),
  RATES(true),
  EXCHANGES(true),
  MARKETS(true);

  /** The resource beside this class that maps each stream to its table. */
  static final String TABLES_FILE = "streams.tsv";

  private static final Map<CoinCapStream, String> TABLE_NAMES = readTableNames();

  private final boolean snapshot;

  CoinCapStream(boolean snapshot) {
    this.snapshot = snapshot;
  }

  /** The lower-case name used in flags, topics ({@code coincap.<name>}), folders and manifests. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** "Trades", for step names such as ParseTrades. */
  public String title() {
    return name().charAt(0) + id().substring(1);
  }

  /** The name of the aggregate table the stream fills, e.g. {@code trade_candles}. */
  public String tableName() {
    return TABLE_NAMES.get(this);
  }

  /** The aggregate table the stream fills, from the schema files. */
  public TableDefinition table() {
    return TableDefinition.named(tableName());
  }

  /** The Kafka topic the ingester publishes the stream to, e.g. {@code coincap.trades}. */
  public String topic() {
    return KafkaTopics.of(this);
  }

  /**
   * True for the REST snapshot streams, whose files hold envelopes whose timestamp is every row's
   * observation time; false for trades, where each record is one self-timed message.
   */
  public boolean isSnapshot() {
    return snapshot;
  }

  /** The stream called {@code id}, case-insensitively. */
  public static CoinCapStream of(String id) {
    String wanted = id.trim();
    for (CoinCapStream stream : values()) {
      if (stream.id().equalsIgnoreCase(wanted)) {
        return stream;
      }
    }
    throw new IllegalArgumentException(
        "unknown stream \"" + wanted + "\"; choose from trades, assets, rates, exchanges, markets");
  }

  /**
   * Parses a comma-separated list such as "trades,assets" or "all", in the order typed, without
   * repeats.
   */
  public static List<CoinCapStream> parseList(String names) {
    if (names == null || names.isBlank() || names.trim().equalsIgnoreCase("all")) {
      return List.of(values());
    }
    List<CoinCapStream> streams = new ArrayList<>();
    for (String name : names.split(",")) {
      if (name.isBlank()) {
        continue;
      }
      CoinCapStream stream = of(name);
      if (!streams.contains(stream)) {
        streams.add(stream);
      }
    }
    if (streams.isEmpty()) {
      throw new IllegalArgumentException("no streams named in \"" + names + "\"");
    }
    return List.copyOf(streams);
  }

  private static Map<CoinCapStream, String> readTableNames() {
    String where = "io/coinbeam/catalog/" + TABLES_FILE;
    try (InputStream in = CoinCapStream.class.getResourceAsStream(TABLES_FILE)) {
      if (in == null) {
        throw new IllegalStateException(where + " is missing from the classpath");
      }
      return parseTableNames(
          new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines().toList(),
          where);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + where, e);
    }
  }

  /**
   * The lines of {@code streams.tsv} as a map: {@code #} comments and blank lines skipped, then one
   * {@code <id> <table>} line per constant, in the enum's order, and nothing more.
   */
  static Map<CoinCapStream, String> parseTableNames(List<String> text, String where) {
    List<String[]> lines =
        text.stream()
            .map(String::strip)
            .filter(line -> !line.isEmpty() && !line.startsWith("#"))
            .map(line -> line.split("\\s+"))
            .toList();
    CoinCapStream[] streams = values();
    Map<CoinCapStream, String> tables = new EnumMap<>(CoinCapStream.class);
    for (int i = 0; i < Math.max(lines.size(), streams.length); i++) {
      String[] line = i < lines.size() ? lines.get(i) : new String[0];
      String expected = i < streams.length ? streams[i].id() + " <table>" : "nothing";
      if (i >= streams.length || line.length != 2 || !line[0].equals(streams[i].id())) {
        throw new IllegalStateException(
            where
                + ": stream line "
                + (i + 1)
                + " should be \""
                + expected
                + "\" but is \""
                + String.join(" ", line)
                + "\"");
      }
      tables.put(streams[i], line[1]);
    }
    return Map.copyOf(tables);
  }
}
