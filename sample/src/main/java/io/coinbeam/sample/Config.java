package io.coinbeam.sample;

import io.coinbeam.catalog.CoinCapStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What the {@link SampleGenerator} makes: everything that decides the bytes it writes. Two equal
 * configs give byte-identical output, so a config is also the recipe that regenerates a data set
 * (see {@link SampleGenerator#BUNDLED_SAMPLE} and {@link #toArgs()}).
 *
 * @param seed seeds every random choice
 * @param start the first minute of the capture; trades and polls lie in {@code [start, start +
 *     minutes)}, apart from a few trades that arrive shortly after the end
 * @param minutes how long the capture is; each snapshot stream is polled once per minute
 * @param trades how many lines the trades stream has in total, bad and duplicate lines included
 * @param files how many files the trade lines are split into, in time order
 * @param streams which streams to write, in {@link CoinCapStream} order
 * @param gzip gzip every trades file and every NDJSON snapshot file (the snapshot streams always
 *     have one {@code .gz} file when they have more than one NDJSON file)
 * @param pairs how many trading pairs the trades stream spreads over: 0 for the sample's own
 *     markets with their real-world shares (the bundled sample), P for P pairs of equal share,
 *     cycling over those markets on numbered venues ({@code binance}, {@code binance-1}, ...): the
 *     sparse shape of a capture over hundreds of pairs, few trades per candle
 */
public record Config(
    long seed,
    Instant start,
    int minutes,
    long trades,
    int files,
    List<CoinCapStream> streams,
    boolean gzip,
    int pairs) {

  /** The default start: a Tuesday in May 2024, the month of the real gemini/bitso captures. */
  public static final Instant DEFAULT_START = Instant.parse("2024-05-07T12:00:00Z");

  public static final long DEFAULT_SEED = 42;
  public static final int DEFAULT_MINUTES = 30;

  /** Trades per minute when {@code --trades} is not given. */
  public static final int DEFAULT_TRADES_PER_MINUTE = 100;

  /** More would overflow the arithmetic that spreads trades over files and time. */
  static final long MAX_TRADES = 1L << 40;

  /** More pairs than this would make venue names and candles per minute absurd for a sample. */
  static final int MAX_PAIRS = 100_000;

  /** A config over the sample's own markets ({@code pairs} 0). */
  public Config(
      long seed,
      Instant start,
      int minutes,
      long trades,
      int files,
      List<CoinCapStream> streams,
      boolean gzip) {
    this(seed, start, minutes, trades, files, streams, gzip, 0);
  }

  public Config {
    if (pairs < 0 || pairs > MAX_PAIRS) {
      throw new IllegalArgumentException(
          "pairs must be between 0 (the sample's markets) and " + MAX_PAIRS + ", got " + pairs);
    }
    if (start == null) {
      throw new IllegalArgumentException("start is required");
    }
    if (start.toEpochMilli() % 1000 != 0) {
      // Whole-second exchanges truncate timestamps; a start inside a second would put them before
      // it.
      throw new IllegalArgumentException("start must be a whole second, got " + start);
    }
    if (minutes < 1 || minutes > 10_000_000) {
      throw new IllegalArgumentException("minutes must be between 1 and 10000000, got " + minutes);
    }
    if (streams == null || streams.isEmpty()) {
      throw new IllegalArgumentException("name at least one stream");
    }
    // Enum order, no repeats: the order files are written in never depends on how it was typed.
    streams = CoinCapStream.parseList(ids(streams)).stream().sorted().toList();
    if (files < 1) {
      throw new IllegalArgumentException("files must be at least 1, got " + files);
    }
    if (streams.contains(CoinCapStream.TRADES)) {
      if (trades < 1 || trades > MAX_TRADES) {
        throw new IllegalArgumentException(
            "trades must be between 1 and " + MAX_TRADES + ", got " + trades);
      }
      if (files > trades) {
        throw new IllegalArgumentException(
            "cannot split " + trades + " trades over " + files + " files");
      }
    }
  }

  /** Seed 42, 30 minutes from {@link #DEFAULT_START}, 3000 trades in one file, all streams. */
  public static Config defaults() {
    return new Config(
        DEFAULT_SEED,
        DEFAULT_START,
        DEFAULT_MINUTES,
        (long) DEFAULT_MINUTES * DEFAULT_TRADES_PER_MINUTE,
        1,
        List.of(CoinCapStream.values()),
        false);
  }

  public Config withSeed(long value) {
    return new Config(value, start, minutes, trades, files, streams, gzip, pairs);
  }

  public Config withStart(Instant value) {
    return new Config(seed, value, minutes, trades, files, streams, gzip, pairs);
  }

  public Config withMinutes(int value) {
    return new Config(seed, start, value, trades, files, streams, gzip, pairs);
  }

  public Config withTrades(long value) {
    return new Config(seed, start, minutes, value, files, streams, gzip, pairs);
  }

  public Config withFiles(int value) {
    return new Config(seed, start, minutes, trades, value, streams, gzip, pairs);
  }

  public Config withStreams(List<CoinCapStream> value) {
    return new Config(seed, start, minutes, trades, files, value, gzip, pairs);
  }

  public Config withGzip(boolean value) {
    return new Config(seed, start, minutes, trades, files, streams, value, pairs);
  }

  public Config withPairs(int value) {
    return new Config(seed, start, minutes, trades, files, streams, gzip, value);
  }

  /**
   * The command-line flags that make this config (without {@code --out}): what a README quotes to
   * regenerate a data set.
   */
  public List<String> toArgs() {
    List<String> args = new ArrayList<>();
    args.add("--seed");
    args.add(Long.toString(seed));
    args.add("--start");
    args.add(start.toString());
    args.add("--minutes");
    args.add(Integer.toString(minutes));
    args.add("--trades");
    args.add(Long.toString(trades));
    args.add("--files");
    args.add(Integer.toString(files));
    args.add("--streams");
    args.add(streams.size() == CoinCapStream.values().length ? "all" : ids(streams));
    if (gzip) {
      args.add("--gzip");
    }
    if (pairs > 0) {
      args.add("--pairs");
      args.add(Integer.toString(pairs));
    }
    return args;
  }

  private static String ids(List<CoinCapStream> streams) {
    return streams.stream().map(CoinCapStream::id).collect(Collectors.joining(","));
  }
}
