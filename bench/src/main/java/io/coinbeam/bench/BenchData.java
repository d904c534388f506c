package io.coinbeam.bench;

import io.coinbeam.catalog.CoinCapStream;
import io.coinbeam.sample.Config;
import io.coinbeam.sample.Manifest;
import io.coinbeam.sample.SampleGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * The benchmark's input: trades only, N lines from the project's deterministic generator (bad
 * lines, duplicates and late trades included, as in a real capture), cached under {@code
 * target/bench-data} by everything that decides their bytes, so reruns do not regenerate.
 *
 * @param trades N, the number of input lines
 * @param dir the data set's folder (its {@code trades/} holds the files)
 * @param manifest what the generator wrote, counted as it wrote it
 * @param generatedSeconds time spent generating now; 0 when it came from the cache
 */
public record BenchData(long trades, Path dir, Manifest manifest, double generatedSeconds) {

  /** The generator's recipe for N trades over its own markets. */
  static Config config(long trades, long seed, int tradesPerMinute, int files) {
    return config(trades, seed, tradesPerMinute, files, 0);
  }

  /** The generator's recipe for N trades; {@code pairs} as in {@link Config#pairs()}. */
  static Config config(long trades, long seed, int tradesPerMinute, int files, int pairs) {
    long minutes = Math.max(1, (trades + tradesPerMinute - 1) / tradesPerMinute);
    return Config.defaults()
        .withPairs(pairs)
        .withSeed(seed)
        .withTrades(trades)
        .withMinutes((int) minutes)
        .withFiles((int) Math.min(files, trades))
        .withStreams(List.of(CoinCapStream.TRADES));
  }

  /**
   * The cached data set for N trades of {@code shape}, generated first if absent or made by another
   * recipe.
   */
  static BenchData prepare(
      BenchSettings settings, DataShape shape, long trades, Consumer<String> log)
      throws IOException {
    Config config =
        config(trades, settings.seed(), shape.tradesPerMinute(), settings.files(), shape.pairs());
    Path dir =
        settings
            .dataDir()
            .resolve(
                String.format(
                    "trades-%d-seed%d-%dpm-%dfiles%s",
                    trades,
                    settings.seed(),
                    shape.tradesPerMinute(),
                    config.files(),
                    shape.pairs() > 0 ? "-" + shape.pairs() + "pairs" : ""));
    Path manifestFile = dir.resolve(Manifest.FILE_NAME);
    if (Files.isRegularFile(manifestFile)) {
      Manifest cached = Manifest.read(manifestFile);
      if (cached.config().equals(config)) {
        return new BenchData(trades, dir, cached, 0);
      }
    }
    log.accept(
        "generating "
            + trades
            + " trades into "
            + settings.projectDir().relativize(dir)
            + " ("
            + String.join(" ", config.toArgs())
            + ")");
    long started = System.nanoTime();
    SampleGenerator.clean(dir, config);
    Manifest manifest = SampleGenerator.generate(config, dir);
    return new BenchData(trades, dir, manifest, (System.nanoTime() - started) / 1e9);
  }

  /** The --input every contender gets. */
  String inputPattern() {
    return dir.resolve("trades").toString() + "/*";
  }

  /** Valid trades in the input: what the candles' trade counts must add up to. */
  long validTrades() {
    return manifest.stream(CoinCapStream.TRADES).rows();
  }

  /** Lines that must become dead letters. */
  long deadLetters() {
    return manifest.stream(CoinCapStream.TRADES).deadLetters();
  }

  /** Total size of the trade files in bytes. */
  long bytes() throws IOException {
    long total = 0;
    for (Manifest.FileCounts file : manifest.stream(CoinCapStream.TRADES).files()) {
      total += Files.size(dir.resolve(file.path()));
    }
    return total;
  }
}
