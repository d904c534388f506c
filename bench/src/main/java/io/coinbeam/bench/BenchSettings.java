package io.coinbeam.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * How a benchmark run is set up: which trade counts, how many repetitions, which contenders, the
 * JVM settings every contender gets, and where data, outputs and the report go. {@code --quick} is
 * the smoke run of {@code make bench QUICK=1}.
 *
 * @param sizes trade counts N every contender runs, ascending (the dense shape)
 * @param largeSizes larger N of the dense shape that only {@code largeContenders} run (3e7)
 * @param largeContenders ids of the contenders that run the large sizes; {@code best} stands for
 *     the best Beam runner ({@code bestRunner})
 * @param bestRunner the Beam runner that runs the large sizes: a contender id, or {@code auto} for
 *     the fastest Beam runner at the largest of {@code sizes}
 * @param repetitions repetitions of each contender at each N but the largest
 * @param repetitionsLargest repetitions at 1e7 trades and more (the long runs)
 * @param profile whether to profile the slowest Beam runner once with JFR
 * @param jvmOptions given to every contender's JVM (the same heap for all)
 * @param timeout a run taking longer is killed and reported as failed
 * @param tradesPerMinute the generated market's trade rate: N trades span N / rate minutes
 * @param files the trade lines are split over this many files (what lets runners read in parallel)
 * @param contenders ids of the contenders to run (see {@link Contender#all})
 * @param sparse the second data shape: many pairs, few trades per candle
 * @param streaming the streaming part's ramp
 */
public record BenchSettings(
    boolean quick,
    List<Long> sizes,
    List<Long> largeSizes,
    List<String> largeContenders,
    String bestRunner,
    int repetitions,
    int repetitionsLargest,
    boolean profile,
    Path projectDir,
    Path jarDir,
    Path dataDir,
    Path workDir,
    Path report,
    List<String> jvmOptions,
    Duration timeout,
    long seed,
    int tradesPerMinute,
    int files,
    List<String> contenders,
    Sparse sparse,
    Streaming streaming) {

  /** The contender id that stands for the best Beam runner in {@code --large-contenders}. */
  static final String BEST = "best";

  /**
   * The sparse shape: real captures cover hundreds of pairs, so most candles hold a few trades,
   * unlike the dense default shape's few busy pairs.
   *
   * @param sizes trade counts N, ascending; empty: the shape is not run
   * @param pairs pairs of equal share the trades spread over
   * @param tradesPerMinute the market's trade rate: rate / pairs trades per candle
   */
  public record Sparse(List<Long> sizes, int pairs, int tradesPerMinute) {}

  /**
   * The streaming part: a ramp of send rates per runner through Kafka.
   *
   * @param enabled whether it runs at all ({@code --streaming=false} skips it)
   * @param only whether the batch part is skipped ({@code --streaming-only})
   * @param rates target trades per second, ascending; the ramp stops at the first step that fails
   * @param seconds how long each step sends
   * @param drainSeconds after sending stops, how long every trade may take to become visible
   * @param runners contender ids of the Beam runners measured (direct, flink, spark)
   * @param warmupSeconds an unmeasured load at the first rate before the ramp (0: none)
   */
  public record Streaming(
      boolean enabled,
      boolean only,
      List<Integer> rates,
      int seconds,
      int drainSeconds,
      List<String> runners,
      int warmupSeconds) {}

  static final String USAGE =
      String.join(
          "\n",
          "usage: Benchmark [--quick] [options]",
          "  --quick                 smoke run: N = 1e5 and 3e5 (6e5 for the large-size"
              + " contenders), sparse 2e5, one repetition, no profile; streaming rates 500,4000"
              + " for 8 s",
          "  --sizes=1e5,1e6,1e7     trade counts N every contender runs",
          "  --large-sizes=3e7       larger N only the large-size contenders run (none: off)",
          "  --large-contenders=baseline,spark-native,duckdb,best   who runs them; best = the"
              + " best Beam runner",
          "  --best-runner=auto      the best Beam runner: direct, flink, spark, or auto (the"
              + " fastest at the largest of --sizes)",
          "  --sparse-sizes=2e6      the sparse shape's N (none: off)",
          "  --sparse-pairs=400 --sparse-trades-per-minute=2000   its pairs and rate (5 trades"
              + " per candle)",
          "  --repetitions=3         repetitions per contender and N",
          "  --repetitions-largest=K repetitions at 1e7 trades and more (default 1)",
          "  --profile=true|false    profile the slowest Beam runner once with JFR",
          "  --contenders=LIST       baseline,direct,flink,spark,spark-native,duckdb (default"
              + " all)",
          "  --jvm-options=\"...\"     every contender's JVM flags (default -Xmx2g"
              + " -XX:+UseParallelGC; make bench passes BENCH_JAVA_OPTS)",
          "  --timeout-minutes=15    a run taking longer is killed and reported as failed"
              + " (and not repeated at that N)",
          "  --seed=42 --trades-per-minute=1000 --files=4   the generated data",
          "  --jars=pipeline/target --data=target/bench-data --work=target/bench"
              + " --report=docs/BENCHMARKS.md",
          "streaming (Kafka to PostgreSQL; PG_URL or a throwaway embedded server):",
          "  --streaming=true|false  run the streaming part (default true)",
          "  --streaming-only        skip the batch part",
          "  --streaming-rates=500,2000,8000,32000,64000,128000   target trades/s, ramped up to"
              + " the first step that fails",
          "  --streaming-seconds=30  seconds each step sends",
          "  --streaming-drain-seconds=20   how long the last trades may take to show up"
              + " (quick: 10)",
          "  --streaming-runners=direct,flink,spark   Beam runners measured",
          "  --streaming-warmup-seconds=20   unmeasured load at the first rate before the ramp"
              + " (quick: 0)");

  /** Parses the command line; throws IllegalArgumentException with the reason when it is wrong. */
  static BenchSettings parse(String[] args) {
    boolean quick = Arrays.asList(args).contains("--quick");
    // Quick: the Direct runner alone takes minutes at 1e6 on 2 cores, so 3e5 keeps it under 5.
    List<Long> sizes =
        quick ? List.of(100_000L, 300_000L) : List.of(100_000L, 1_000_000L, 10_000_000L);
    // 3e7 shows whether cost stays linear past 1e7; the slow contenders are left out of it.
    List<Long> largeSizes = quick ? List.of(600_000L) : List.of(30_000_000L);
    List<String> largeContenders = List.of("baseline", "spark-native", "duckdb", BEST);
    String bestRunner = "auto";
    // About 5 trades per candle over 400 pairs: ~400 k candles at 2e6 trades.
    List<Long> sparseSizes = quick ? List.of(200_000L) : List.of(2_000_000L);
    int sparsePairs = 400;
    int sparseRate = 2000;
    int repetitions = quick ? 1 : 3;
    Integer largest = null;
    boolean profile = !quick;
    Path project = Path.of("").toAbsolutePath();
    Path jars = project.resolve("pipeline/target");
    Path data = project.resolve("target/bench-data");
    Path work = project.resolve("target/bench");
    Path report = project.resolve("docs/BENCHMARKS.md");
    // At most 2 GB of heap for every contender: memory must not grow with N, so a contender that
    // holds its input in memory fails at the large sizes instead of being measured as fast.
    List<String> jvm = List.of("-Xmx2g", "-XX:+UseParallelGC");
    Duration timeout = Duration.ofMinutes(quick ? 5 : 15);
    long seed = 42;
    int rate = 1000;
    int files = 4;
    List<String> contenders = Contender.all(project, jars).stream().map(Contender::id).toList();
    boolean streaming = true;
    boolean streamingOnly = false;
    // Quick: two short steps per runner (the streaming part takes about 75 s). 500 and not 1000:
    // measured on a busy 2-core machine, Direct fell behind at 1000 trades/s, so its quick ramp
    // would end before it had a sustained rate.
    List<Integer> streamingRates =
        quick ? List.of(500, 4000) : List.of(500, 2000, 8000, 32000, 64000, 128000);
    int streamingSeconds = quick ? 8 : 30;
    int drainSeconds = quick ? 10 : 20; // quick: a runner that lags gives up sooner
    List<String> streamingRunners = List.of("direct", "flink", "spark");
    int warmupSeconds = quick ? 0 : 20;
    for (String arg : args) {
      if (arg.equals("--quick")) {
        continue;
      }
      if (arg.equals("--streaming-only")) {
        streamingOnly = true;
        continue;
      }
      int eq = arg.indexOf('=');
      if (!arg.startsWith("--") || eq < 0) {
        throw new IllegalArgumentException("unknown argument " + arg);
      }
      String name = arg.substring(2, eq);
      String value = arg.substring(eq + 1).trim();
      switch (name) {
        case "sizes" -> sizes = parseSizes(value);
        case "large-sizes" -> largeSizes = noneOr(value, BenchSettings::parseSizes);
        case "large-contenders" -> largeContenders = parseLargeContenders(value);
        case "best-runner" -> bestRunner = parseBestRunner(value);
        case "sparse-sizes" -> sparseSizes = noneOr(value, BenchSettings::parseSizes);
        case "sparse-pairs" -> sparsePairs = positive(name, value);
        case "sparse-trades-per-minute" -> sparseRate = positive(name, value);
        case "repetitions" -> repetitions = positive(name, value);
        case "repetitions-largest" -> largest = positive(name, value);
        case "profile" -> profile = Boolean.parseBoolean(value);
        case "contenders" -> contenders = parseContenders(value);
        case "jvm-options" -> jvm = List.of(value.split("\\s+"));
        case "timeout-minutes" -> timeout = Duration.ofMinutes(positive(name, value));
        case "seed" -> seed = Long.parseLong(value);
        case "trades-per-minute" -> rate = positive(name, value);
        case "files" -> files = positive(name, value);
        case "jars" -> jars = project.resolve(value);
        case "data" -> data = project.resolve(value);
        case "work" -> work = project.resolve(value);
        case "report" -> report = project.resolve(value);
        case "streaming" -> streaming = parseBoolean(name, value);
        case "streaming-rates" -> streamingRates = parseRates(value);
        case "streaming-seconds" -> streamingSeconds = positive(name, value);
        case "streaming-drain-seconds" -> drainSeconds = positive(name, value);
        case "streaming-runners" -> streamingRunners = parseRunners(value);
        case "streaming-warmup-seconds" -> warmupSeconds = nonNegative(name, value);
        default -> throw new IllegalArgumentException("unknown flag --" + name);
      }
    }
    if (!largeSizes.isEmpty() && largeSizes.get(0) <= sizes.get(sizes.size() - 1)) {
      throw new IllegalArgumentException(
          "--large-sizes: each must be above the largest of --sizes (" + sizes + ")");
    }
    return new BenchSettings(
        quick,
        sizes,
        largeSizes,
        largeContenders,
        bestRunner,
        repetitions,
        // The largest N runs for tens of minutes per contender on 2 cores: once, unless asked.
        largest == null ? (quick ? repetitions : 1) : largest,
        profile,
        project,
        jars,
        data,
        work,
        report,
        jvm,
        timeout,
        seed,
        rate,
        files,
        contenders,
        new Sparse(sparseSizes, sparsePairs, sparseRate),
        new Streaming(
            streaming,
            streamingOnly,
            streamingRates,
            streamingSeconds,
            drainSeconds,
            streamingRunners,
            warmupSeconds));
  }

  /**
   * The repetitions at trade count {@code n}, in either shape: {@code repetitionsLargest} from
   * {@value #LONG_RUN_TRADES} trades on (the long runs), {@code repetitions} below. The sparse
   * shape's 2e6 is below: its runs are short, and it is the shape whose ratios sit closest to the
   * targets, so it gets the median of several runs.
   */
  int repetitionsAt(long n) {
    return n >= LONG_RUN_TRADES ? repetitionsLargest : repetitions;
  }

  /**
   * Runs of this many trades or more are long: they are repeated {@code repetitionsLargest} times.
   */
  static final long LONG_RUN_TRADES = 10_000_000L;

  /** The data shapes this run measures: the dense one, then the sparse one unless it is off. */
  List<DataShape> shapes() {
    List<DataShape> shapes = new ArrayList<>();
    shapes.add(new DataShape("dense", sizes, largeSizes, tradesPerMinute, 0));
    if (!sparse.sizes().isEmpty()) {
      shapes.add(
          new DataShape(
              "sparse", sparse.sizes(), List.of(), sparse.tradesPerMinute(), sparse.pairs()));
    }
    return List.copyOf(shapes);
  }

  /** The contenders this run times, in the order they run within a repetition. */
  List<Contender> selectedContenders() {
    return Contender.all(projectDir, jarDir).stream()
        .filter(c -> contenders.contains(c.id()))
        .toList();
  }

  /** "1e5,1e6" or "100000,2500000" into ascending counts. */
  static List<Long> parseSizes(String value) {
    List<Long> sizes = new ArrayList<>();
    for (String part : value.split(",")) {
      String text = part.trim();
      if (text.isEmpty()) {
        continue;
      }
      double n;
      try {
        n = Double.parseDouble(text);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--sizes: not a number: " + text);
      }
      if (n < 1 || n > 1e9 || n != Math.rint(n)) {
        throw new IllegalArgumentException("--sizes: " + text + " is not a count from 1 to 1e9");
      }
      sizes.add((long) n);
    }
    if (sizes.isEmpty()) {
      throw new IllegalArgumentException("--sizes: name at least one trade count");
    }
    sizes.sort(null);
    return List.copyOf(sizes);
  }

  /** "none" (or nothing) for an empty list, else what {@code parse} makes of it. */
  private static List<Long> noneOr(
      String value, java.util.function.Function<String, List<Long>> parse) {
    return value.isEmpty() || value.equals("none") ? List.of() : parse.apply(value);
  }

  private static List<String> parseLargeContenders(String value) {
    List<String> known = new ArrayList<>(ids());
    known.add(BEST);
    List<String> chosen = new ArrayList<>();
    for (String part : value.split(",")) {
      String id = part.trim();
      if (!known.contains(id)) {
        throw new IllegalArgumentException(
            "--large-contenders: unknown " + id + "; known: " + known);
      }
      chosen.add(id);
    }
    return List.copyOf(chosen);
  }

  private static String parseBestRunner(String value) {
    List<String> beam =
        Contender.all(Path.of("."), Path.of(".")).stream()
            .filter(c -> c.kind() == Contender.Kind.BEAM)
            .map(Contender::id)
            .toList();
    if (!value.equals("auto") && !beam.contains(value)) {
      throw new IllegalArgumentException("--best-runner: auto or one of " + beam);
    }
    return value;
  }

  private static List<String> ids() {
    return Contender.all(Path.of("."), Path.of(".")).stream().map(Contender::id).toList();
  }

  private static List<String> parseContenders(String value) {
    List<String> known =
        Contender.all(Path.of("."), Path.of(".")).stream().map(Contender::id).toList();
    List<String> chosen = new ArrayList<>();
    for (String part : value.split(",")) {
      String id = part.trim();
      if (!known.contains(id)) {
        throw new IllegalArgumentException("--contenders: unknown " + id + "; known: " + known);
      }
      chosen.add(id);
    }
    return List.copyOf(chosen);
  }

  /** "500, 2000,8000" into ascending, distinct rates. */
  static List<Integer> parseRates(String value) {
    List<Integer> rates = new ArrayList<>();
    for (String part : value.split(",")) {
      String text = part.trim();
      if (text.isEmpty()) {
        continue;
      }
      int rate = positive("streaming-rates", text);
      if (!rates.contains(rate)) {
        rates.add(rate);
      }
    }
    if (rates.isEmpty()) {
      throw new IllegalArgumentException("--streaming-rates: name at least one rate");
    }
    rates.sort(null);
    return List.copyOf(rates);
  }

  private static List<String> parseRunners(String value) {
    List<String> known = List.of("direct", "flink", "spark");
    List<String> chosen = new ArrayList<>();
    for (String part : value.split(",")) {
      String id = part.trim();
      if (!known.contains(id)) {
        throw new IllegalArgumentException(
            "--streaming-runners: unknown " + id + "; known: " + known);
      }
      if (!chosen.contains(id)) {
        chosen.add(id);
      }
    }
    return List.copyOf(chosen);
  }

  private static boolean parseBoolean(String name, String value) {
    return switch (value) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new IllegalArgumentException("--" + name + " expects true or false");
    };
  }

  private static int nonNegative(String name, String value) {
    return value.equals("0") ? 0 : positive(name, value);
  }

  private static int positive(String name, String value) {
    try {
      int n = Integer.parseInt(value);
      if (n < 1) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + name + " expects a positive whole number");
    }
  }
}
