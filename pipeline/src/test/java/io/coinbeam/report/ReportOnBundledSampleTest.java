package io.coinbeam.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coinbeam.CoinbeamPipeline;
import io.coinbeam.catalog.CoinCapStream;
import io.coinbeam.rows.DeadLetters;
import io.coinbeam.sample.Manifest;
import io.coinbeam.testing.ParquetFiles;
import io.coinbeam.testing.ProjectFiles;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;

/**
 * {@code make run}'s report: the pipeline over the bundled sample, then report.html checked against
 * the Parquet files the same run wrote, read independently of the report's own code.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReportOnBundledSampleTest {
  /** Every table the run writes: one per stream, in stream order, then the dead letters. */
  private static final List<String> TABLES =
      Stream.concat(
              Arrays.stream(CoinCapStream.values()).map(CoinCapStream::tableName),
              Stream.of(DeadLetters.table().name()))
          .toList();

  @TempDir static Path out;
  private final Path sample = ProjectFiles.root().resolve("data/sample");
  private String stdout;
  private ReportHtml report;
  private final Map<String, List<GenericRecord>> tables = new HashMap<>();

  @BeforeAll
  void runThePipelineOnTheSample() throws Exception {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream original = System.out;
    int exit;
    try (PrintStream tee = new PrintStream(new Tee(original, captured), true, "UTF-8")) {
      System.setOut(tee);
      exit =
          CoinbeamPipeline.run(
              new String[] {"--input=" + sample + "/{stream}/*", "--output=" + out});
    } finally {
      System.setOut(original);
    }
    assertEquals(CoinbeamPipeline.EXIT_OK, exit);
    stdout = captured.toString(StandardCharsets.UTF_8);
    report = new ReportHtml(Files.readString(out.resolve("report.html")));
    for (String table : TABLES) {
      tables.put(table, ParquetFiles.readTable(out.resolve(table)));
    }
  }

  @Test
  void theRunEndsByPrintingWhereTheReportIs() {
    List<String> lines = stdout.lines().filter(l -> !l.isBlank()).toList();
    assertEquals("Report: " + out.resolve("report.html"), lines.get(lines.size() - 1));
  }

  @Test
  void theReportIsOneFileThatFetchesNothing() {
    String html = report.html;
    assertTrue(html.startsWith("<!DOCTYPE html>"));
    assertTrue(html.strip().endsWith("</html>"));
    for (String remote : List.of("<script", "<link", "src=\"http", "href=\"http", "@import")) {
      assertFalse(html.toLowerCase(Locale.ROOT).contains(remote), remote);
    }
  }

  @Test
  void aCandlestickChartForEachOfTheFourPairsWithTheMostVolume() throws Exception {
    Map<String, Double> volume = new TreeMap<>();
    for (GenericRecord row : tables.get("trade_candles")) {
      volume.merge(pairId(row), (Double) row.get("volume_usd"), Double::sum);
    }
    List<String> expected =
        volume.entrySet().stream()
            .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
            .limit(4)
            .map(Map.Entry::getKey)
            .toList();
    List<String> charted = report.candleFigures().stream().map(ReportHtml.Figure::pair).toList();
    assertEquals(expected, charted);
  }

  /**
   * Not blank: each chart holds one candle body per window of its pair, green for the windows that
   * closed above their open and red for the rest, and one volume bar per window, at distinct places
   * across the plot and at different heights.
   */
  @Test
  void candleChartsDrawOneCandleAndOneVolumeBarPerWindow() throws Exception {
    List<ReportHtml.Figure> figures = report.candleFigures();
    assertEquals(4, figures.size());
    for (ReportHtml.Figure figure : figures) {
      List<GenericRecord> rows =
          tables.get("trade_candles").stream()
              .filter(r -> pairId(r).equals(figure.pair()))
              .toList();
      long rising =
          rows.stream().filter(r -> (Double) r.get("close") > (Double) r.get("open")).count();
      long falling =
          rows.stream().filter(r -> (Double) r.get("close") < (Double) r.get("open")).count();
      List<Element> up = ReportHtml.filledWith(figure.svg(), ChartLook.UP);
      List<Element> down = ReportHtml.filledWith(figure.svg(), ChartLook.DOWN);
      List<Element> flat = ReportHtml.filledWith(figure.svg(), ChartLook.FLAT);
      List<Element> bars = ReportHtml.filledWith(figure.svg(), ChartLook.VOLUME);
      String pair = figure.pair();
      assertEquals(rows.size(), figure.candles(), pair);
      assertEquals(rising, up.size(), pair + ": rising candles");
      assertEquals(falling, down.size(), pair + ": falling candles");
      assertEquals(rows.size() - rising - falling, flat.size(), pair + ": unchanged windows");
      assertEquals(rows.size(), bars.size(), pair + ": volume bars");

      List<Element> bodies = new ArrayList<>(up);
      bodies.addAll(down);
      Set<Double> xs = new HashSet<>();
      double top = Double.MAX_VALUE;
      double bottom = -Double.MAX_VALUE;
      for (Element body : bodies) {
        assertEquals("rect", body.getLocalName());
        assertTrue(ReportHtml.number(body, "height") > 0, pair + ": a body with height");
        xs.add(ReportHtml.number(body, "x"));
        top = Math.min(top, ReportHtml.number(body, "y"));
        bottom = Math.max(bottom, ReportHtml.number(body, "y") + ReportHtml.number(body, "height"));
      }
      assertEquals(rising + falling, xs.size(), pair + ": candles side by side");
      assertTrue(bottom - top > 100, pair + ": candles span the price axis, got " + (bottom - top));
      Set<Double> heights = new HashSet<>();
      bars.forEach(b -> heights.add(Math.round(ReportHtml.number(b, "height") * 10) / 10.0));
      assertTrue(heights.size() > rows.size() / 2, pair + ": volume bars differ in height");
      assertTrue(ReportHtml.texts(figure.svg()).contains(pairTitle(figure.pair())), pair);
    }
  }

  @Test
  void theAssetPriceChartHasALineForEachOfTheLargestAssets() throws Exception {
    // Each asset's market cap in its latest window, largest first; the chart shows six.
    Map<String, GenericRecord> latest = new TreeMap<>();
    for (GenericRecord row : tables.get("asset_stats")) {
      latest.merge(
          row.get("asset_id").toString(),
          row,
          (a, b) -> (Long) a.get("window_start") >= (Long) b.get("window_start") ? a : b);
    }
    List<GenericRecord> largest =
        latest.values().stream()
            .sorted(
                Comparator.comparingDouble((GenericRecord r) -> (Double) r.get("market_cap_usd"))
                    .reversed())
            .limit(6)
            .toList();
    var svg = report.svgOf("prices");
    List<String> texts = ReportHtml.texts(svg);
    for (int i = 0; i < largest.size(); i++) {
      GenericRecord asset = largest.get(i);
      assertTrue(
          texts.contains(asset.get("symbol") + " (" + asset.get("asset_id") + ")"),
          "legend names " + asset.get("asset_id"));
      // The line itself: a stroke of the series' colour with a point per window.
      assertFalse(ReportHtml.strokedWith(svg, ChartLook.SERIES[i]).isEmpty(), "line " + i);
    }
  }

  @Test
  void eachTableHasASectionWithItsExactRowCount() {
    Map<String, ReportHtml.Section> sections = report.sections();
    assertEquals(TABLES, List.copyOf(sections.keySet()));
    for (String table : TABLES) {
      long rows = tables.get(table).size();
      assertTrue(rows > 0, table);
      assertEquals(rows, sections.get(table).rows(), table);
      assertTrue(
          sections.get(table).body().contains(String.format(Locale.ROOT, "%,d rows", rows)), table);
    }
  }

  /** The run's counters as the report shows them, against the sample generator's own manifest. */
  @Test
  void theRunCountsMatchTheSamplesManifest() throws Exception {
    Manifest manifest = Manifest.read(sample);
    Matcher counts =
        Pattern.compile("<table class=\"data\" id=\"run-counts\">(.*?)</table>", Pattern.DOTALL)
            .matcher(report.html);
    assertTrue(counts.find());
    for (CoinCapStream stream : CoinCapStream.values()) {
      Manifest.StreamCounts expected = manifest.stream(stream);
      String id = stream.name().toLowerCase(Locale.ROOT);
      String row =
          String.format(
              Locale.ROOT,
              "<tr><td>%s</td><td class=\"num\">%,d</td><td class=\"num\">%,d</td>"
                  + "<td class=\"num\">%,d</td>",
              id,
              expected.recordsRead(),
              expected.rows(),
              expected.deadLetters());
      assertTrue(counts.group(1).contains(row), id + ": " + row);
    }
  }

  /**
   * The summary's table of tables: each aggregate table's rows, distinct keys (its key without the
   * window), distinct windows, and its first and last window, counted here from the files.
   */
  @Test
  void theSummaryCountsEachTablesRowsKeysAndWindows() {
    Matcher summary =
        Pattern.compile("<table class=\"data\" id=\"tables\">(.*?)</table>", Pattern.DOTALL)
            .matcher(report.html);
    assertTrue(summary.find());
    for (CoinCapStream stream : CoinCapStream.values()) {
      List<GenericRecord> rows = tables.get(stream.tableName());
      List<String> keyColumns = new ArrayList<>(stream.table().key());
      keyColumns.remove("window_start");
      Set<String> keys = new HashSet<>();
      Set<Long> windows = new HashSet<>();
      long first = Long.MAX_VALUE;
      long last = Long.MIN_VALUE;
      for (GenericRecord row : rows) {
        keys.add(keyColumns.stream().map(k -> String.valueOf(row.get(k))).toList().toString());
        long start = (Long) row.get("window_start");
        windows.add(start);
        first = Math.min(first, start);
        last = Math.max(last, (Long) row.get("window_end"));
      }
      String expected =
          String.format(
              Locale.ROOT,
              "<td class=\"num\">%,d</td><td class=\"num\">%,d</td><td class=\"num\">%,d</td>"
                  + "<td>%s</td><td>%s</td>",
              rows.size(),
              keys.size(),
              windows.size(),
              Formats.time(first),
              Formats.time(last));
      assertTrue(summary.group(1).contains(expected), stream.tableName() + ": " + expected);
    }
  }

  /** Each reason's count, and its first source: the smallest of its rows' sources. */
  @Test
  void deadLettersAreCountedByStreamAndError() {
    Map<String, Integer> expected = new TreeMap<>();
    Map<String, String> expectedFirst = new TreeMap<>();
    for (GenericRecord row : tables.get("dead_letters")) {
      String reason = row.get("stream") + " | " + row.get("error");
      expected.merge(reason, 1, Integer::sum);
      expectedFirst.merge(
          reason, row.get("source").toString(), (a, b) -> a.compareTo(b) <= 0 ? a : b);
    }
    Map<String, Integer> shown = new TreeMap<>();
    Map<String, String> shownFirst = new TreeMap<>();
    Matcher m =
        Pattern.compile(
                "<tr><td>([^<]*)</td><td class=\"wrap\">([^<]*)</td><td class=\"num\">(\\d+)</td>"
                    + "<td class=\"source\" title=\"([^\"]*)\">")
            .matcher(report.sections().get("dead_letters").body());
    while (m.find()) {
      String reason = ReportHtml.unescape(m.group(1)) + " | " + ReportHtml.unescape(m.group(2));
      shown.put(reason, Integer.parseInt(m.group(3)));
      shownFirst.put(reason, ReportHtml.unescape(m.group(4)));
    }
    assertEquals(expected, shown);
    assertEquals(expectedFirst, shownFirst);
  }

  /** {@code make report}: the same tables from the files alone, without the run's counters. */
  @Test
  void theStandaloneEntryPointWritesTheSameTablesFromTheFiles() throws Exception {
    Path before = out.resolve("report.html");
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    ByteArrayOutputStream errors = new ByteArrayOutputStream();
    // The other tests read the run's report into memory before this one replaces the file.
    int exit =
        ReportWriter.run(
            new String[] {"--output=" + out, "--top=2"},
            new PrintStream(printed, true, StandardCharsets.UTF_8),
            new PrintStream(errors, true, StandardCharsets.UTF_8));
    ReportHtml again = new ReportHtml(Files.readString(before));
    assertEquals(0, exit, errors.toString(StandardCharsets.UTF_8));
    assertEquals("Report: " + before + "\n", printed.toString(StandardCharsets.UTF_8));
    assertEquals(2, again.candleFigures().size());
    assertFalse(again.html.contains("id=\"run-counts\""));
    for (String table : TABLES) {
      assertEquals(tables.get(table).size(), again.sections().get(table).rows(), table);
    }
  }

  private static String pairId(GenericRecord row) {
    return row.get("exchange") + ":" + row.get("base") + ":" + row.get("quote");
  }

  /** binance:bitcoin:tether -> "bitcoin/tether on binance", the chart's title. */
  private static String pairTitle(String id) {
    String[] parts = id.split(":");
    return parts[1] + "/" + parts[2] + " on " + parts[0];
  }

  /** Writes to two streams: what the test reads and what the console shows. */
  private static final class Tee extends java.io.OutputStream {
    private final java.io.OutputStream a;
    private final java.io.OutputStream b;

    Tee(java.io.OutputStream a, java.io.OutputStream b) {
      this.a = a;
      this.b = b;
    }

    @Override
    public void write(int x) throws java.io.IOException {
      a.write(x);
      b.write(x);
    }

    @Override
    public void write(byte[] bytes, int off, int len) throws java.io.IOException {
      a.write(bytes, off, len);
      b.write(bytes, off, len);
    }

    @Override
    public void flush() throws java.io.IOException {
      a.flush();
      b.flush();
    }
  }
}
