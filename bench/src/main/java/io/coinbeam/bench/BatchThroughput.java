package io.coinbeam.bench;

import io.coinbeam.bench.MeasuredProcess.Measurement;
import io.coinbeam.bench.OutputChecksum.Fingerprint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The batch part of the benchmark: {@code trade_candles} end to end in batch (read, parse,
 * aggregate, write Parquet) for every trade count N of one {@link DataShape} and every contender,
 * on the same generated files, each run in its own JVM, repeated, each output checked before its
 * time counts. The shape's large sizes (3e7) are run by the large-size contenders only: the
 * baseline, the peers and the best Beam runner.
 */
public final class BatchThroughput implements Scenario {
  private final DataShape shape;
  private final List<BenchData> dataSets = new ArrayList<>();
  private final List<RunResult> results = new ArrayList<>();
  private final Map<Long, Fingerprint> references = new LinkedHashMap<>();
  private List<Contender> contenders = List.of();
  private JfrProfile.Profile profile;
  private String profileNote = "not taken in this run (quick runs skip it; `--profile=true`).";
  private String bestNote = "";

  BatchThroughput(DataShape shape) {
    this.shape = shape;
  }

  /**
   * One run of one contender.
   *
   * @param ok whether its output passed every check; only then does its time count
   * @param verdict what the check found (why it failed, or how it matched)
   */
  record RunResult(
      String contender,
      long trades,
      int repetition,
      Measurement measurement,
      boolean ok,
      String verdict) {}

  @Override
  public String title() {
    return shape.title();
  }

  DataShape shape() {
    return shape;
  }

  @Override
  public void run(BenchSettings settings, BenchLog log) throws Exception {
    contenders = settings.selectedContenders();
    for (Contender contender : contenders) {
      Optional<String> missing = contender.missing();
      if (missing.isPresent()) {
        throw new IllegalStateException(missing.get());
      }
    }
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    for (long n : shape.allSizes()) {
      List<Contender> here = shape.isLarge(n) ? largeContenders(settings) : contenders;
      if (here.isEmpty()) {
        log.info("N=" + count(n) + ": no contender runs it (" + bestNote + ")");
        continue;
      }
      BenchData data = BenchData.prepare(settings, shape, n, log::info);
      dataSets.add(data);
      // The reference candles stay in memory: one row per candle, a few hundred thousand at most.
      List<Map<String, Object>> referenceRows = null;
      List<String> givenUp = new ArrayList<>();
      for (int rep = 1; rep <= settings.repetitionsAt(n); rep++) {
        for (Contender contender : here) {
          if (givenUp.contains(contender.id())) {
            continue; // it failed at this N already; another try would cost as much again
          }
          Path out =
              settings.workDir().resolve("out-" + shape.id() + "-" + n).resolve(contender.id());
          deleteTree(out);
          Path logFile =
              settings
                  .workDir()
                  .resolve("logs")
                  .resolve(shape.id() + "-" + contender.id() + "-" + n + "-" + rep + ".log");
          Measurement m =
              MeasuredProcess.run(
                  contender.command(java, settings.jvmOptions(), data.inputPattern(), out),
                  Map.of("SPARK_LOCAL_IP", "127.0.0.1"),
                  logFile,
                  settings.timeout());
          Check check = check(contender, data, m, out, referenceRows, settings.projectDir());
          if (check.ok() && referenceRows == null) {
            referenceRows = check.rows();
            references.put(n, check.fingerprint());
          }
          results.add(new RunResult(contender.id(), n, rep, m, check.ok(), check.verdict()));
          if (!check.ok()) {
            givenUp.add(contender.id());
          }
          log.info(
              String.format(
                  Locale.ROOT,
                  "%s N=%s %-12s rep %d: %6.1f s, peak RSS %s, %s",
                  shape.id(),
                  count(n),
                  contender.id(),
                  rep,
                  m.wallSeconds(),
                  megabytes(m.peakRssBytes()),
                  check.ok() ? "ok (" + check.verdict() + ")" : "FAILED: " + check.verdict()));
          deleteTree(out);
        }
      }
    }
    if (settings.profile() && shape.pairs() == 0) {
      profileSlowestRunner(settings, java, log);
    }
  }

  /**
   * The contenders of the large sizes: those {@code --large-contenders} names, {@code best} being
   * the Beam runner {@code --best-runner} names or, with {@code auto}, the fastest at the shape's
   * largest common size (none when no Beam runner finished it).
   */
  private List<Contender> largeContenders(BenchSettings settings) {
    Optional<String> best = Optional.empty();
    if (settings.largeContenders().contains(BenchSettings.BEST)) {
      long n = shape.headlineSize();
      if (!settings.bestRunner().equals("auto")) {
        best = Optional.of(settings.bestRunner());
        bestNote = "best Beam runner: " + best.get() + ", named by --best-runner";
      } else {
        best =
            contenders.stream()
                .filter(c -> c.kind() == Contender.Kind.BEAM)
                .filter(c -> timeSpread(c.id(), n).isPresent())
                .min(Comparator.comparingDouble(c -> timeSpread(c.id(), n).get().median()))
                .map(Contender::id);
        bestNote =
            best.map(id -> "best Beam runner: " + id + ", the fastest at N = " + count(n))
                .orElse("no Beam runner finished N = " + count(n) + ", so none runs larger sizes");
      }
    }
    String bestId = best.orElse(null);
    return contenders.stream()
        .filter(c -> settings.largeContenders().contains(c.id()) || c.id().equals(bestId))
        .toList();
  }

  /** What checking one run's output found. */
  private record Check(
      boolean ok, String verdict, Fingerprint fingerprint, List<Map<String, Object>> rows) {
    static Check failed(String why) {
      return new Check(false, why, null, null);
    }
  }

  /**
   * A run counts only if it exited 0, its candles hold exactly the input's valid trades, its dead
   * letters (where it writes them) are exactly the input's bad lines, and its candles match the
   * reference (the first good run at this N, the baseline's when it is good): equal checksums, or
   * equal rows with doubles within 1e-9 where a different summation order moved the 10th digit.
   */
  private static Check check(
      Contender contender,
      BenchData data,
      Measurement m,
      Path out,
      List<Map<String, Object>> referenceRows,
      Path projectDir) {
    if (m.timedOut()) {
      return Check.failed(String.format(Locale.ROOT, "killed after %.0f s", m.wallSeconds()));
    }
    if (m.exitCode() != 0) {
      // Relative to the project: the report holds no path of the machine it ran on.
      String see = "exit code " + m.exitCode() + ", see " + relative(projectDir, m.log());
      return Check.failed(
          outOfMemory(m.log()).map(oom -> "out of memory (" + oom + "), " + see).orElse(see));
    }
    try {
      List<Map<String, Object>> rows = OutputChecksum.readRows(out.resolve("trade_candles"));
      Fingerprint fingerprint = OutputChecksum.of(rows);
      if (fingerprint.trades() != data.validTrades()) {
        return Check.failed(
            String.format(
                Locale.ROOT,
                "candles hold %,d trades, the input has %,d valid trades",
                fingerprint.trades(),
                data.validTrades()));
      }
      if (contender.kind().writesDeadLetters()) {
        long deadLetters = OutputChecksum.countRows(out.resolve("dead_letters"));
        if (deadLetters != data.deadLetters()) {
          return Check.failed(
              String.format(
                  Locale.ROOT,
                  "%,d dead letters, the input has %,d bad lines",
                  deadLetters,
                  data.deadLetters()));
        }
      }
      if (referenceRows == null) {
        return new Check(true, "reference " + fingerprint.checksum(), fingerprint, rows);
      }
      Fingerprint expected = OutputChecksum.of(referenceRows);
      if (expected.equals(fingerprint)) {
        return new Check(true, "checksum " + fingerprint.checksum(), fingerprint, null);
      }
      OutputComparison.Result comparison = OutputComparison.compare(referenceRows, rows);
      if (comparison.same()) {
        return new Check(
            true,
            String.format(
                Locale.ROOT,
                "checksum %s differs only by rounding: %,d doubles differ in the last bits, all"
                    + " within 1e-9",
                fingerprint.checksum(),
                comparison.roundedValues()),
            fingerprint,
            null);
      }
      return Check.failed(
          "output differs from the reference: " + String.join("; ", comparison.differences()));
    } catch (IOException | RuntimeException e) {
      return Check.failed("cannot read its output: " + e.getMessage());
    }
  }

  /** Runs the slowest Beam runner at the largest N once more under JFR and summarises it. */
  private void profileSlowestRunner(BenchSettings settings, Path java, BenchLog log)
      throws Exception {
    long n = shape.headlineSize();
    Optional<Contender> slowest =
        contenders.stream()
            .filter(c -> c.kind() == Contender.Kind.BEAM)
            .filter(c -> timeSpread(c.id(), n).isPresent())
            .max(Comparator.comparingDouble(c -> timeSpread(c.id(), n).get().median()));
    if (slowest.isEmpty()) {
      profileNote = "not taken: no Beam runner finished at N = " + count(n) + ".";
      return;
    }
    Contender contender = slowest.get();
    BenchData data = dataSets.stream().filter(d -> d.trades() == n).findFirst().orElseThrow();
    Path recording = settings.workDir().resolve("profile-" + contender.id() + "-" + n + ".jfr");
    Files.deleteIfExists(recording);
    List<String> jvm = new ArrayList<>(settings.jvmOptions());
    jvm.add("-XX:StartFlightRecording=filename=" + recording + ",settings=profile,dumponexit=true");
    Path out =
        settings
            .workDir()
            .resolve("out-" + shape.id() + "-" + n)
            .resolve(contender.id() + "-profiled");
    deleteTree(out);
    log.info("profiling " + contender.id() + " at N=" + count(n) + " with JFR");
    Measurement m =
        MeasuredProcess.run(
            contender.command(java, jvm, data.inputPattern(), out),
            Map.of("SPARK_LOCAL_IP", "127.0.0.1"),
            settings.workDir().resolve("logs").resolve(contender.id() + "-" + n + "-profiled.log"),
            settings.timeout());
    if (m.exitCode() != 0 || !Files.isRegularFile(recording)) {
      profileNote = "failed: the profiled run of " + contender.id() + " ended with " + m.exitCode();
      return;
    }
    profile = JfrProfile.summarise(contender, n, m.wallSeconds(), recording);
    deleteTree(out);
  }

  /** The wall-time spread of a contender's good runs at N, if it had any. */
  Optional<Spread> timeSpread(String contender, long n) {
    List<Double> times =
        results.stream()
            .filter(r -> r.ok() && r.contender().equals(contender) && r.trades() == n)
            .map(r -> r.measurement().wallSeconds())
            .toList();
    return times.isEmpty() ? Optional.empty() : Optional.of(Spread.of(times));
  }

  private Optional<Spread> rssSpread(String contender, long n) {
    List<Double> rss =
        results.stream()
            .filter(r -> r.ok() && r.contender().equals(contender) && r.trades() == n)
            .map(r -> (double) r.measurement().peakRssBytes())
            .toList();
    return rss.isEmpty() ? Optional.empty() : Optional.of(Spread.of(rss));
  }

  private Optional<Contender> ofKind(Contender.Kind kind) {
    return contenders.stream().filter(c -> c.kind() == kind).findFirst();
  }

  @Override
  public String markdown() {
    StringBuilder md = new StringBuilder();
    md.append(dataSetTable()).append('\n');
    for (BenchData data : dataSets) {
      md.append(resultTable(data.trades())).append('\n');
    }
    md.append(growthTable()).append('\n');
    md.append(failures());
    if (shape.pairs() > 0) {
      return md.toString(); // the profile is taken on the dense shape
    }
    md.append("### Where the time goes\n\n");
    if (profile == null) {
      md.append("Profile: ").append(profileNote).append("\n\n");
    } else {
      md.append(profile.markdown()).append('\n');
    }
    return md.toString();
  }

  private String dataSetTable() {
    MarkdownTable table =
        new MarkdownTable(
                "N (input lines)",
                "minutes",
                "pairs",
                "files",
                "size",
                "valid trades",
                "bad lines",
                "candles",
                "trades per candle",
                "reference checksum")
            .alignRight(0, 1, 2, 3, 4, 5, 6, 7, 8);
    for (BenchData data : dataSets) {
      Fingerprint reference = references.get(data.trades());
      long bytes;
      try {
        bytes = data.bytes();
      } catch (IOException e) {
        bytes = 0;
      }
      table.row(
          count(data.trades()),
          Integer.toString(data.manifest().config().minutes()),
          shape.pairs() > 0 ? Integer.toString(shape.pairs()) : "24 (weighted)",
          Integer.toString(data.manifest().config().files()),
          megabytes(bytes),
          String.format(Locale.ROOT, "%,d", data.validTrades()),
          String.format(Locale.ROOT, "%,d", data.deadLetters()),
          reference == null ? "-" : String.format(Locale.ROOT, "%,d", reference.rows()),
          reference == null || reference.rows() == 0
              ? "-"
              : String.format(Locale.ROOT, "%.1f", reference.trades() / (double) reference.rows()),
          reference == null ? "no good run" : "`" + reference.checksum() + "`");
    }
    String intro =
        shape.pairs() > 0
            ? String.format(
                Locale.ROOT,
                "The generator's `--pairs %d`: the trades spread evenly over %d pairs (its 24"
                    + " markets cycled over numbered venues, `binance-1`, ...), %,d trades per"
                    + " minute, so about %.0f per candle: a capture over hundreds of pairs, where"
                    + " per-candle work (keys, accumulators, output rows) weighs more than"
                    + " per-trade work.%n%n",
                shape.pairs(),
                shape.pairs(),
                shape.tradesPerMinute(),
                shape.tradesPerCandle())
            : "";
    return "### Input and expected output\n\n" + intro + table.render();
  }

  private String resultTable(long n) {
    Optional<Spread> baseline = ofKind(Contender.Kind.BASELINE).flatMap(c -> timeSpread(c.id(), n));
    Optional<Spread> peer = ofKind(Contender.Kind.PEER).flatMap(c -> timeSpread(c.id(), n));
    Optional<Spread> duckdb = ofKind(Contender.Kind.REFERENCE).flatMap(c -> timeSpread(c.id(), n));
    MarkdownTable table =
        new MarkdownTable(
                "contender",
                "good runs",
                "median s",
                "min-max s",
                "trades/s",
                "peak RSS",
                "time / baseline",
                "time / native Spark",
                "time / DuckDB")
            .alignRight(1, 2, 3, 4, 5, 6, 7, 8);
    for (Contender contender : contenders) {
      long runs =
          results.stream()
              .filter(r -> r.contender().equals(contender.id()) && r.trades() == n)
              .count();
      if (runs == 0) {
        continue; // not among the contenders of this size
      }
      Optional<Spread> time = timeSpread(contender.id(), n);
      long good = time.map(Spread::count).orElse(0);
      if (time.isEmpty()) {
        table.row(contender.label(), "0/" + runs, "failed", "-", "-", "-", "-", "-", "-");
        continue;
      }
      Spread t = time.get();
      Spread rss = rssSpread(contender.id(), n).orElseThrow();
      table.row(
          contender.label(),
          good + "/" + runs,
          seconds(t.median()),
          seconds(t.min()) + "-" + seconds(t.max()),
          rate(n / t.median()),
          megabytes((long) rss.median()),
          baseline.map(b -> ratio(t.median() / b.median())).orElse("-"),
          peer.map(p -> ratio(t.median() / p.median())).orElse("-"),
          duckdb.map(d -> ratio(t.median() / d.median())).orElse("-"));
    }
    String note =
        shape.isLarge(n)
            ? "Only the large-size contenders run this size (" + bestNote + ").\n\n"
            : "";
    return "### N = " + count(n) + "\n\n" + note + table.render();
  }

  /**
   * How cost grows with N: the time ratio between consecutive sizes (10 for a 10x step would be
   * linear with no fixed cost), and the marginal cost per trade between the two largest sizes,
   * which leaves out JVM and engine start-up.
   */
  private String growthTable() {
    if (dataSets.size() < 2) {
      return "";
    }
    List<String> headers = new ArrayList<>(List.of("contender"));
    for (int i = 1; i < dataSets.size(); i++) {
      headers.add(
          "t("
              + count(dataSets.get(i).trades())
              + ") / t("
              + count(dataSets.get(i - 1).trades())
              + ")");
    }
    // The marginal cost is read between the two largest sizes every contender runs.
    boolean marginals = shape.sizes().size() >= 2;
    long small = marginals ? shape.sizes().get(shape.sizes().size() - 2) : 0;
    long large = shape.headlineSize();
    if (marginals) {
      headers.add("marginal trades/s");
      headers.add("marginal / baseline");
    }
    MarkdownTable table = new MarkdownTable(headers.toArray(new String[0]));
    int[] right = new int[headers.size() - 1];
    for (int i = 0; i < right.length; i++) {
      right[i] = i + 1;
    }
    table.alignRight(right);
    Optional<Double> baselineMarginal =
        ofKind(Contender.Kind.BASELINE).flatMap(c -> marginalSeconds(c.id(), small, large));
    for (Contender contender : contenders) {
      List<String> cells = new ArrayList<>(List.of(contender.label()));
      for (int i = 1; i < dataSets.size(); i++) {
        Optional<Spread> before = timeSpread(contender.id(), dataSets.get(i - 1).trades());
        Optional<Spread> after = timeSpread(contender.id(), dataSets.get(i).trades());
        cells.add(
            before.isPresent() && after.isPresent()
                ? String.format(Locale.ROOT, "%.1f", after.get().median() / before.get().median())
                : "-");
      }
      if (marginals) {
        Optional<Double> marginal = marginalSeconds(contender.id(), small, large);
        cells.add(marginal.map(s -> rate((large - small) / s)).orElse("-"));
        cells.add(
            marginal.isPresent() && baselineMarginal.isPresent()
                ? ratio(marginal.get() / baselineMarginal.get())
                : "-");
      }
      table.row(cells.toArray(new String[0]));
    }
    return "### How cost grows with N\n\n"
        + "Time ratios between consecutive sizes (a 10x step costs 10x when the cost is all"
        + " per-trade, less when start-up dominates; a 3x step, 3x)."
        + (marginals
            ? " Marginal trades/s: the extra trades of "
                + count(large)
                + " over "
                + count(small)
                + " over the extra time: throughput with JVM and engine start-up taken out."
            : "")
        + "\n\n"
        + table.render();
  }

  private Optional<Double> marginalSeconds(String contender, long small, long large) {
    Optional<Spread> a = timeSpread(contender, small);
    Optional<Spread> b = timeSpread(contender, large);
    if (a.isEmpty() || b.isEmpty() || b.get().median() <= a.get().median()) {
      return Optional.empty();
    }
    return Optional.of(b.get().median() - a.get().median());
  }

  private String failures() {
    List<RunResult> failed = results.stream().filter(r -> !r.ok()).toList();
    StringBuilder md = new StringBuilder("### Checks\n\n");
    md.append(
        "Every run's output is read back before its time counts: its candles must hold exactly"
            + " the input's valid trades (from the generator's manifest), the Beam runs and the"
            + " baseline must write exactly the input's bad lines as dead letters, and its"
            + " candles must match the reference (the first good run at that N, the baseline's):"
            + " the same row count and checksum, or, where summing in another order moved a"
            + " double across a rounding boundary of the checksum, the same rows with every double"
            + " within 1e-9 relative. ");
    if (failed.isEmpty()) {
      md.append("All ").append(results.size()).append(" runs passed.\n\n");
    } else {
      md.append(failed.size())
          .append(" of ")
          .append(results.size())
          .append(
              " runs failed and are left out of the tables (a contender that fails at some N is"
                  + " not repeated at that N):\n\n");
      for (RunResult r : failed) {
        md.append(verdictLine(r));
      }
      md.append('\n');
    }
    List<RunResult> rounded =
        results.stream().filter(r -> r.ok() && r.verdict().contains("only by rounding")).toList();
    for (RunResult r : rounded) {
      md.append(verdictLine(r));
    }
    if (!rounded.isEmpty()) {
      md.append('\n');
    }
    return md.toString();
  }

  /** The runs, for the report's reading of the numbers. */
  List<RunResult> results() {
    return List.copyOf(results);
  }

  List<Contender> contenders() {
    return contenders;
  }

  List<BenchData> dataSets() {
    return List.copyOf(dataSets);
  }

  /** "1e7", "3e7" for a single digit times a power of ten from 1e3 on, else "2,500,000". */
  static String count(long n) {
    long power = 1000;
    for (int exponent = 3; exponent <= 18 && power <= n; exponent++, power *= 10) {
      if (n % power == 0 && n / power < 10) {
        return n / power + "e" + exponent;
      }
    }
    return String.format(Locale.ROOT, "%,d", n);
  }

  static String seconds(double s) {
    return String.format(Locale.ROOT, s < 10 ? "%.2f" : "%.1f", s);
  }

  static String rate(double perSecond) {
    if (perSecond < 1e4) {
      return String.format(Locale.ROOT, "%,.0f", perSecond);
    }
    if (perSecond >= 1e6) {
      return String.format(Locale.ROOT, "%.2f M", perSecond / 1e6);
    }
    return String.format(Locale.ROOT, "%.0f k", perSecond / 1e3);
  }

  static String ratio(double r) {
    return String.format(Locale.ROOT, r < 10 ? "%.2fx" : "%.1fx", r);
  }

  static String megabytes(long bytes) {
    return bytes <= 0 ? "-" : String.format(Locale.ROOT, "%,d MB", Math.round(bytes / 1048576.0));
  }

  /** Deletes a folder and what it holds (a contender's output between runs). */
  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  /**
   * The first {@code OutOfMemoryError} a run's log reports ("java.lang.OutOfMemoryError: Java heap
   * space"), so that a run that ran out of heap says so; empty when there is none or no log.
   */
  static Optional<String> outOfMemory(Path log) {
    if (log == null || !Files.isRegularFile(log)) {
      return Optional.empty();
    }
    try (Stream<String> lines = Files.lines(log, StandardCharsets.ISO_8859_1)) {
      return lines
          .filter(line -> line.contains("OutOfMemoryError"))
          .map(line -> line.substring(Math.max(0, line.indexOf("java.lang.OutOfMemoryError"))))
          .map(String::trim)
          .map(text -> text.length() > 120 ? text.substring(0, 120) : text)
          .findFirst();
    } catch (IOException | UncheckedIOException e) {
      return Optional.empty();
    }
  }

  /** {@code file} relative to the project when it is inside it, else as it is. */
  static String relative(Path projectDir, Path file) {
    Path absolute = file.toAbsolutePath().normalize();
    Path root = projectDir.toAbsolutePath().normalize();
    return absolute.startsWith(root) ? root.relativize(absolute).toString() : file.toString();
  }

  /** "- flink, N = 1e6, repetition 2: <verdict>", one line of the checks list. */
  private static String verdictLine(RunResult r) {
    return "- "
        + r.contender()
        + ", N = "
        + count(r.trades())
        + ", repetition "
        + r.repetition()
        + ": "
        + r.verdict()
        + "\n";
  }
}
