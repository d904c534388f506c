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
 * @param sizes trade counts N, ascending
 * @param repetitions repetitions of each contender at each N but the largest
 * @param repetitionsLargest repetitions at the largest N (the long runs)
 * @param profile whether to profile the slowest Beam runner once with JFR
 * @param jvmOptions given to every contender's JVM (the same heap for all)
 * @param timeout a run taking longer is killed and reported as failed
 * @param tradesPerMinute the generated market's trade rate: N trades span N / rate minutes
 * @param files the trade lines are split over this many files (what lets runners read in parallel)
 * @param contenders ids of the contenders to run (see {@link Contender#all})
 * @param streaming the streaming part's ramp
 */
public record BenchSettings(
    boolean quick,
    List<Long> sizes,
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
    Streaming streaming) {

  /**
   * The streaming part (issue 9, part 4): a ramp of send rates per runner through Kafka.
   *
   * @param enabled whether it runs at all ({@code --streaming=false} skips it)
   * @param only whether the batch part is skipped ({@code --streaming-only})
   * @param rates target trades per second, ascending; the ramp stops at the first step that fails
   * @param seconds how long each step sends
   * @param drainSeconds after sending stops, how long every trade may take to become visible
   * @param runners contender ids of the Beam runners measured (direct, flink)
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
          "  --quick                 smoke run: N = 1e5 and 3e5, one repetition, no profile;"
              + " streaming rates 500,4000 for 8 s",
          "  --sizes=1e5,1e6,1e7     trade counts N",
          "  --repetitions=3         repetitions per contender and N",
          "  --repetitions-largest=K repetitions at the largest N (default 1)",
          "  --profile=true|false    profile the slowest Beam runner once with JFR",
          "  --contenders=LIST       baseline,direct,flink,spark,spark-native (default all)",
          "  --jvm-options=\"...\"     every contender's JVM flags (default -Xmx4g"
              + " -XX:+UseParallelGC)",
          "  --timeout-minutes=15    a run taking longer is killed and reported as failed"
              + " (and not repeated at that N)",
          "  --seed=42 --trades-per-minute=1000 --files=4   the generated data",
          "  --jars=pipeline/target --data=target/bench-data --work=target/bench"
              + " --report=docs/BENCHMARKS.md",
          "streaming (Kafka to PostgreSQL; PG_URL or a throwaway embedded server):",
          "  --streaming=true|false  run the streaming part (default true)",
          "  --streaming-only        skip the batch part",
          "  --streaming-rates=500,2000,8000,32000   target trades/s, ramped up to the first"
              + " step that fails",
          "  --streaming-seconds=30  seconds each step sends",
          "  --streaming-drain-seconds=20   how long the last trades may take to show up"
              + " (quick: 10)",
          "  --streaming-runners=direct,flink   Beam runners measured",
          "  --streaming-warmup-seconds=20   unmeasured load at the first rate before the ramp"
              + " (quick: 0)");

  /** Parses the command line; throws IllegalArgumentException with the reason when it is wrong. */
  static BenchSettings parse(String[] args) {
    boolean quick = Arrays.asList(args).contains("--quick");
    // Quick: the Direct runner alone takes minutes at 1e6 on 2 cores, so 3e5 keeps it under 5.
    List<Long> sizes =
        quick ? List.of(100_000L, 300_000L) : List.of(100_000L, 1_000_000L, 10_000_000L);
    int repetitions = quick ? 1 : 3;
    Integer largest = null;
    boolean profile = !quick;
    Path project = Path.of("").toAbsolutePath();
    Path jars = project.resolve("pipeline/target");
    Path data = project.resolve("target/bench-data");
    Path work = project.resolve("target/bench");
    Path report = project.resolve("docs/BENCHMARKS.md");
    List<String> jvm = List.of("-Xmx4g", "-XX:+UseParallelGC");
    Duration timeout = Duration.ofMinutes(quick ? 5 : 15);
    long seed = 42;
    int rate = 1000;
    int files = 4;
    List<String> contenders = Contender.all(jars).stream().map(Contender::id).toList();
    boolean streaming = true;
    boolean streamingOnly = false;
    // Quick: two short steps per runner (the streaming part takes about 75 s). 500 and not 1000:
    // measured on a busy 2-core machine, Direct fell behind at 1000 trades/s, so its quick ramp
    // would end before it had a sustained rate.
    List<Integer> streamingRates = quick ? List.of(500, 4000) : List.of(500, 2000, 8000, 32000);
    int streamingSeconds = quick ? 8 : 30;
    int drainSeconds = quick ? 10 : 20; // quick: a runner that lags gives up sooner
    List<String> streamingRunners = List.of("direct", "flink");
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
    return new BenchSettings(
        quick,
        sizes,
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
        new Streaming(
            streaming,
            streamingOnly,
            streamingRates,
            streamingSeconds,
            drainSeconds,
            streamingRunners,
            warmupSeconds));
  }

  /** The repetitions at trade count {@code n}. */
  int repetitionsAt(long n) {
    return n == sizes.get(sizes.size() - 1) ? repetitionsLargest : repetitions;
  }

  /** The contenders this run times, in the order they run within a repetition. */
  List<Contender> selectedContenders() {
    return Contender.all(jarDir).stream().filter(c -> contenders.contains(c.id())).toList();
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

  private static List<String> parseContenders(String value) {
    List<String> known = Contender.all(Path.of(".")).stream().map(Contender::id).toList();
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
    // Spark's streaming runner is not measured: it needs its own batch-interval tuning.
    List<String> known = List.of("direct", "flink");
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
