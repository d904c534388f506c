package io.coinbeam.catalog;

import io.coinbeam.schema.TableDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The five CoinCap streams and what every part of coinbeam knows them by: the name users type
 * ({@code --streams=trades,assets}, {@code make trades}), the folder and topic named after it, and
 * the aggregate table it fills. It holds no Beam type, so the ingester, the replay tool and the
 * sample generator share it with the pipeline instead of keeping lists of their own.
 */
public enum CoinCapStream {
  TRADES("trade_candles", false),
  ASSETS("asset_stats", true),
  RATES("rate_stats", true),
  EXCHANGES("exchange_stats", true),
  MARKETS("market_stats", true);

  private final String tableName;
  private final boolean snapshot;

  CoinCapStream(String tableName, boolean snapshot) {
    this.tableName = tableName;
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
    return tableName;
  }

  /** The aggregate table the stream fills, from the schema files. */
  public TableDefinition table() {
    return TableDefinition.named(tableName);
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
}
