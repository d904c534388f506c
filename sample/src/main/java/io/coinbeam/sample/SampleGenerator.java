package io.coinbeam.sample;

import io.coinbeam.catalog.CoinCapStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Makes realistic CoinCap captures for all five streams from a seed, so the project carries only
 * data it made itself: the bundled sample ({@code data/sample/}), test inputs, and benchmark inputs
 * of any size. The same {@link Config} always gives the same bytes.
 *
 * <p>Output layout under the output directory: {@code trades/}, {@code assets/}, {@code rates/},
 * {@code exchanges/}, {@code markets/} (the pipeline's default {@code --input} pattern {@code
 * data/sample/{stream}/*} reads them) and {@code MANIFEST.json}, which states exactly what the
 * files hold (see {@link Manifest}).
 *
 * <pre>
 * SampleGenerator --out DIR [--seed 42] [--start 2024-05-07T12:00:00Z] [--minutes 30]
 *     [--trades N] [--files K] [--pairs P] [--streams trades,assets,...|all] [--gzip] [--clean]
 * </pre>
 */
public final class SampleGenerator {
  /**
   * The bundled sample in {@code data/sample/}: its README quotes these flags, a test checks it.
   */
  public static final Config BUNDLED_SAMPLE = Config.defaults().withTrades(3000).withFiles(3);

  static final int EXIT_OK = 0;
  static final int EXIT_FAILED = 1;
  static final int EXIT_USAGE = 2;

  private static final String USAGE =
      String.join(
          "\n",
          "usage: SampleGenerator --out DIR [options]",
          "  --out DIR        where to write trades/, assets/, rates/, exchanges/, markets/ and"
              + " MANIFEST.json (required)",
          "  --seed N         seed of every random choice (default 42)",
          "  --start TIME     first minute, ISO-8601 UTC (default 2024-05-07T12:00:00Z)",
          "  --minutes M      length of the capture; one snapshot poll per minute (default 30)",
          "  --trades N       trade lines in total, bad and duplicate ones included"
              + " (default 100 per minute)",
          "  --files K        split the trade lines over K files, in time order (default 1)",
          "  --pairs P        spread the trades evenly over P pairs on numbered venues"
              + " (default 0: the sample's 24 markets with their real shares)",
          "  --streams LIST   trades,assets,rates,exchanges,markets or all (default all)",
          "  --gzip           gzip the trades files and every NDJSON snapshot file",
          "  --clean          first delete the files already in the streams' folders and the"
              + " manifest",
          "The same flags always give the same bytes.");

  private SampleGenerator() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs the command line; returns the exit code (0 done, 1 failed, 2 wrong flags). */
  static int run(String[] args, PrintStream out, PrintStream err) {
    Path dir = null;
    boolean clean = false;
    Config defaults = Config.defaults();
    long seed = defaults.seed();
    Instant start = defaults.start();
    int minutes = defaults.minutes();
    Long trades = null;
    int files = defaults.files();
    int pairs = defaults.pairs();
    List<CoinCapStream> streams = defaults.streams();
    boolean gzip = false;
    Config config;
    try {
      for (int i = 0; i < args.length; i++) {
        String arg = args[i];
        String value = null;
        int eq = arg.indexOf('=');
        if (arg.startsWith("--") && eq > 0) {
          value = arg.substring(eq + 1);
          arg = arg.substring(0, eq);
        }
        switch (arg) {
          case "--help", "-h" -> {
            out.println(USAGE);
            return EXIT_OK;
          }
          case "--gzip" -> gzip = true;
          case "--clean" -> clean = true;
          case "--out",
              "--seed",
              "--start",
              "--minutes",
              "--trades",
              "--files",
              "--pairs",
              "--streams" -> {
            if (value == null) {
              if (i + 1 >= args.length) {
                throw new IllegalArgumentException(arg + " needs a value");
              }
              value = args[++i];
            }
            switch (arg) {
              case "--out" -> dir = Paths.get(value);
              case "--seed" -> seed = parseLong(arg, value);
              case "--start" -> start = parseInstant(value);
              case "--minutes" -> minutes = parseInt(arg, value);
              case "--trades" -> trades = parseLong(arg, value);
              case "--files" -> files = parseInt(arg, value);
              case "--pairs" -> pairs = parseInt(arg, value);
              default -> streams = CoinCapStream.parseList(value);
            }
          }
          default -> throw new IllegalArgumentException("unknown flag " + args[i]);
        }
      }
      if (dir == null) {
        throw new IllegalArgumentException("--out DIR is required");
      }
      config =
          new Config(
              seed,
              start,
              minutes,
              trades != null ? trades : (long) minutes * Config.DEFAULT_TRADES_PER_MINUTE,
              files,
              streams,
              gzip,
              pairs);
    } catch (IllegalArgumentException e) {
      err.println("SampleGenerator: " + e.getMessage());
      err.println(USAGE);
      return EXIT_USAGE;
    }
    try {
      if (clean) {
        clean(dir, config);
      }
      long started = System.nanoTime();
      Manifest manifest = generate(config, dir, err::println);
      long bytes = sizeOf(dir, manifest);
      out.printf(
          Locale.ROOT,
          "wrote %s (%d bytes in %d files) in %.1f s%n",
          dir.resolve(Manifest.FILE_NAME),
          bytes,
          manifest.streams().stream().mapToInt(s -> s.files().size()).sum(),
          (System.nanoTime() - started) / 1e9);
      return EXIT_OK;
    } catch (IOException | IllegalStateException e) {
      err.println("SampleGenerator: " + e.getMessage());
      return EXIT_FAILED;
    }
  }

  /** Generates {@code config} into {@code dir}; see {@link #generate(Config, Path, Consumer)}. */
  public static Manifest generate(Config config, Path dir) throws IOException {
    return generate(config, dir, null);
  }

  /**
   * Writes the streams of {@code config} into {@code dir} and {@code dir/MANIFEST.json}, and
   * returns the manifest. The streams' folders must be empty or absent: files from an earlier run
   * would mix with these (see {@link #clean}).
   *
   * @param log receives a line per stream (and progress for long trade runs); may be null
   */
  public static Manifest generate(Config config, Path dir, Consumer<String> log)
      throws IOException {
    for (CoinCapStream stream : config.streams()) {
      Path folder = Files.createDirectories(dir.resolve(stream.id()));
      try (DirectoryStream<Path> files = Files.newDirectoryStream(folder)) {
        if (files.iterator().hasNext()) {
          throw new IllegalStateException(
              folder + " is not empty: pick another --out or add --clean");
        }
      }
    }
    Universe universe = new Universe(config.seed());
    List<Manifest.StreamCounts> counts = new ArrayList<>();
    for (CoinCapStream stream : config.streams()) {
      long started = System.nanoTime();
      Path folder = dir.resolve(stream.id());
      Manifest.StreamCounts result =
          stream == CoinCapStream.TRADES
              ? new TradeWriter(config, universe).write(folder, log)
              : new SnapshotWriter(stream, config, universe).write(folder);
      counts.add(result);
      if (log != null) {
        log.accept(
            String.format(
                Locale.ROOT,
                "%s: %d files, %d records, %d rows, %d bad records, %d bad rows, %d duplicates"
                    + " (%.1f s)",
                stream.id(),
                result.files().size(),
                result.records(),
                result.rows(),
                result.badRecords(),
                result.badRows(),
                result.duplicates(),
                (System.nanoTime() - started) / 1e9));
      }
    }
    Manifest manifest = new Manifest(config, counts);
    Files.writeString(dir.resolve(Manifest.FILE_NAME), manifest.toJson(), StandardCharsets.UTF_8);
    return manifest;
  }

  /**
   * Deletes what a previous run left for the streams of {@code config}: the regular files directly
   * in their folders, and the manifest. Nothing else (no sub-folders, no other files) is touched.
   */
  public static void clean(Path dir, Config config) throws IOException {
    for (CoinCapStream stream : config.streams()) {
      Path folder = dir.resolve(stream.id());
      if (!Files.isDirectory(folder)) {
        continue;
      }
      List<Path> files = new ArrayList<>();
      try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder)) {
        for (Path entry : entries) {
          if (Files.isRegularFile(entry)) {
            files.add(entry);
          }
        }
      }
      for (Path file : files) {
        Files.delete(file);
      }
    }
    Files.deleteIfExists(dir.resolve(Manifest.FILE_NAME));
  }

  private static long sizeOf(Path dir, Manifest manifest) throws IOException {
    long bytes = Files.size(dir.resolve(Manifest.FILE_NAME));
    for (Manifest.StreamCounts stream : manifest.streams()) {
      for (Manifest.FileCounts file : stream.files()) {
        bytes += Files.size(dir.resolve(file.path()));
      }
    }
    return bytes;
  }

  private static long parseLong(String flag, String value) {
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(flag + " expects a whole number, got \"" + value + "\"");
    }
  }

  private static int parseInt(String flag, String value) {
    long number = parseLong(flag, value);
    if (number < Integer.MIN_VALUE || number > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(flag + " is out of range: " + value);
    }
    return (int) number;
  }

  private static Instant parseInstant(String value) {
    try {
      return Instant.parse(value.trim());
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "--start expects an ISO-8601 UTC time such as 2024-05-07T12:00:00Z, got \""
              + value
              + "\"");
    }
  }
}
