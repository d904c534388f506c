package io.coinbeam.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * The trades the streaming benchmark sends: {@value #KEYS} pairs (4 exchanges x 5 bases x 3 quotes)
 * taken in turn, every trade valid and distinct from every other, in the trades socket's JSON. Each
 * step gets exchanges of its own ({@code <prefix>-binance}, ...), so its candles never share a row
 * with another step's. Also the pacing rule of the producer.
 */
public final class TradeLoad {
  /** How many pairs (Kafka keys, candles per minute) the load spreads over. */
  public static final int KEYS = 60;

  private static final String[] EXCHANGES = {"binance", "coinbase", "kraken", "bitstamp"};
  private static final String[] BASES = {"bitcoin", "ethereum", "solana", "ripple", "cardano"};
  private static final double[] BASE_PRICES = {64_000.0, 3_100.0, 150.0, 0.52, 0.45};
  private static final String[] QUOTES = {"tether", "united-states-dollar", "euro"};
  private static final double[] QUOTE_USD = {1.0, 1.0, 1.08};

  private final String prefix;

  /** The load of one step; {@code prefix} names its exchanges (letters, digits, dashes). */
  public TradeLoad(String prefix) {
    if (!prefix.matches("[a-z0-9-]+")) {
      throw new IllegalArgumentException("prefix: lower-case letters, digits and dashes only");
    }
    this.prefix = prefix;
  }

  /** The exchange names of this load (what its rows are told apart by). */
  public List<String> exchanges() {
    List<String> names = new ArrayList<>();
    for (String exchange : EXCHANGES) {
      names.add(prefix + "-" + exchange);
    }
    return names;
  }

  /** One trade: the pair of sequence number {@code seq} (0-based), sent at {@code millis}. */
  public record Trade(String exchange, String base, String quote, String json, long millis) {
    /** The Kafka key, as the ingester sets it (RowKeys: exchange:base:quote). */
    public String key() {
      return exchange + ":" + base + ":" + quote;
    }

    public CandleKey candle() {
      return CandleKey.of(exchange, base, quote, millis);
    }
  }

  /**
   * Trade number {@code seq} of this load at event time {@code millis}. The pair cycles through the
   * {@value #KEYS} keys; price and volume move with {@code seq} so that no two trades of a pair are
   * equal within ten million trades, whatever their timestamps.
   */
  public Trade trade(long seq, long millis) {
    int k = (int) (seq % KEYS);
    int exchange = k % EXCHANGES.length;
    int pair = k / EXCHANGES.length; // 0..14
    int base = pair % BASES.length;
    int quote = pair / BASES.length;
    double quotePerUsd = QUOTE_USD[quote];
    double priceUsd = BASE_PRICES[base] * (1 + (seq % 1009) * 1e-5);
    double price = priceUsd / quotePerUsd;
    double volume = 0.0001 * (1 + seq % 9973);
    String direction = seq % 3 == 0 ? "sell" : "buy";
    String name = prefix + "-" + EXCHANGES[exchange];
    String json =
        "{\"exchange\":\""
            + name
            + "\",\"base\":\""
            + BASES[base]
            + "\",\"quote\":\""
            + QUOTES[quote]
            + "\",\"direction\":\""
            + direction
            + "\",\"price\":"
            + price
            + ",\"volume\":"
            + volume
            + ",\"timestamp\":"
            + millis
            + ",\"priceUsd\":"
            + priceUsd
            + "}";
    return new Trade(name, BASES[base], QUOTES[quote], json, millis);
  }

  /**
   * How many of {@code total} trades a producer pacing at {@code ratePerSecond} should have sent
   * {@code elapsedNanos} after it started: the first at once, then one every 1/rate seconds.
   */
  public static long dueBy(double ratePerSecond, long elapsedNanos, long total) {
    if (elapsedNanos < 0) {
      return 0;
    }
    long due = (long) Math.floor(elapsedNanos / 1e9 * ratePerSecond) + 1;
    return Math.min(total, due);
  }
}
