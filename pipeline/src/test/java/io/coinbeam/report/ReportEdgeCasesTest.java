package io.coinbeam.report;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coinbeam.CoinbeamPipeline;
import io.coinbeam.catalog.CoinCapStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report where input is hostile or tables are missing: a one-stream run with an exchange named
 * {@code <script>}, an output folder with no tables at all, an empty table folder, and an output
 * the report cannot be written to.
 */
class ReportEdgeCasesTest {
  private static final long T0 = 1_715_083_200_000L; // 2024-05-07T12:00:00Z

  @TempDir Path dir;

  private static String trade(
      String exchange,
      String base,
      String quote,
      String direction,
      double price,
      double volume,
      long at) {
    return String.format(
        Locale.ROOT,
        "{\"exchange\":\"%s\",\"base\":\"%s\",\"quote\":\"%s\",\"direction\":\"%s\","
            + "\"price\":%s,\"volume\":%s,\"timestamp\":%d,\"priceUsd\":%s}",
        exchange,
        base,
        quote,
        direction,
        price,
        volume,
        at,
        price);
  }

  /**
   * Names come from the input: a hand-written trades file whose biggest pair is on an exchange
   * called {@code <script>alert(1)</script>}, with a quote containing {@code &}, and a rejected
   * line whose error quotes markup. Only trades run, so four tables are missing.
   */
  @Test
  void hostileNamesAreEscapedAndTablesOfOtherStreamsShowNoRows() throws Exception {
    String hostile = "<script>alert(1)</script>";
    Path input = Files.createDirectories(dir.resolve("in/trades"));
    Files.write(
        input.resolve("trades.ndjson"),
        List.of(
            trade(hostile, "bitcoin", "tether&co", "buy", 63000, 10, T0 + 1_000),
            trade(hostile, "bitcoin", "tether&co", "sell", 63100, 5, T0 + 20_000),
            trade(hostile, "bitcoin", "tether&co", "buy", 62900, 7, T0 + 61_000),
            trade(hostile, "bitcoin", "tether&co", "buy", 62950, 2, T0 + 125_000),
            trade("kraken", "ethereum", "euro", "sell", 3000, 0.5, T0 + 2_000),
            trade("kraken", "ethereum", "euro", "buy", 3010, 0.1, T0 + 62_000),
            trade("kraken", "bitcoin", "euro", "<b>sideways</b>", 58000, 1, T0 + 3_000)));
    Path out = dir.resolve("out");
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream original = System.out;
    int exit;
    try {
      System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
      exit =
          CoinbeamPipeline.run(
              new String[] {
                "--streams=trades",
                "--input=" + dir.resolve("in") + "/{stream}/*",
                "--output=" + out
              });
    } finally {
      System.setOut(original);
    }
    assertEquals(CoinbeamPipeline.EXIT_OK, exit);
    List<String> lines = captured.toString(StandardCharsets.UTF_8).lines().toList();
    assertEquals("Report: " + out.resolve("report.html"), lines.get(lines.size() - 1));

    ReportHtml report = new ReportHtml(Files.readString(out.resolve("report.html")));
    String html = report.html;
    assertFalse(html.toLowerCase(Locale.ROOT).contains("<script"), "a raw <script> tag");
    assertFalse(html.contains("<b>"), "raw markup from an error message");
    assertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assertTrue(html.contains("&lt;b&gt;sideways&lt;/b&gt;"), "the rejected line's error, escaped");
    assertTrue(html.contains("tether&amp;co"));

    // Both pairs charted, the hostile one first (more volume), its title intact inside the SVG.
    List<ReportHtml.Figure> figures = report.candleFigures();
    assertEquals(
        List.of(hostile + ":bitcoin:tether&co", "kraken:ethereum:euro"),
        figures.stream().map(ReportHtml.Figure::pair).toList());
    ReportHtml.Figure first = figures.get(0);
    assertTrue(ReportHtml.texts(first.svg()).contains("bitcoin/tether&co on " + hostile));
    // Windows 12:00 (63000 -> 63100, up), 12:01 and 12:02 (one trade each: open = close).
    assertEquals(1, ReportHtml.filledWith(first.svg(), ChartLook.UP).size());
    assertEquals(0, ReportHtml.filledWith(first.svg(), ChartLook.DOWN).size());
    assertEquals(2, ReportHtml.filledWith(first.svg(), ChartLook.FLAT).size());
    assertEquals(3, ReportHtml.filledWith(first.svg(), ChartLook.VOLUME).size());

    Map<String, ReportHtml.Section> sections = report.sections();
    assertEquals(5, sections.get("trade_candles").rows()); // 3 + 2 windows
    assertEquals(1, sections.get("dead_letters").rows());
    for (String table : List.of("asset_stats", "rate_stats", "exchange_stats", "market_stats")) {
      assertEquals(0, sections.get(table).rows(), table);
      assertTrue(sections.get(table).body().contains("no rows"), table);
    }
    assertTrue(html.contains("No asset stats: no rows, so no price chart."));
  }

  @Test
  void anOutputFolderWithoutTablesGivesAReportThatSaysNoRows() throws Exception {
    Path report = ReportWriter.write(dir, null, ReportWriter.DEFAULT_TOP_PAIRS);
    ReportHtml html = new ReportHtml(Files.readString(report));
    Map<String, ReportHtml.Section> sections = html.sections();
    assertEquals(6, sections.size());
    sections.forEach(
        (table, section) -> {
          assertEquals(0, section.rows(), table);
          assertTrue(
              section.body().contains("no rows (no " + table + " folder in the output)"), table);
        });
    assertTrue(html.html.contains("No trade candles: no rows, so no candlestick charts."));
    assertEquals(0, html.candleFigures().size());
  }

  @Test
  void anEmptyTableFolderIsNoRowsToo() throws Exception {
    Files.createDirectories(dir.resolve("trade_candles"));
    ReportHtml html = new ReportHtml(Files.readString(ReportWriter.write(dir, null, 4)));
    String body = html.sections().get("trade_candles").body();
    assertTrue(body.contains("<p class=\"empty\">no rows</p>"), body);
  }

  @Test
  void aReportThatCannotBeWrittenIsAWarningNotAFailure() throws Exception {
    Path notAFolder = Files.writeString(dir.resolve("file"), "not a folder");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    assertDoesNotThrow(
        () ->
            ReportWriter.afterBatchRun(
                notAFolder.toString(),
                List.of(CoinCapStream.TRADES),
                Map.of(),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)));
    assertEquals("", out.toString(StandardCharsets.UTF_8));
    assertTrue(
        err.toString(StandardCharsets.UTF_8)
            .startsWith("coinbeam: warning: the report could not be written: "),
        err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void aRemoteOutputGetsNoReportAndSaysWhy() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    ReportWriter.afterBatchRun(
        "gs://bucket/out",
        List.of(CoinCapStream.TRADES),
        Map.of(),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    assertEquals("", out.toString(StandardCharsets.UTF_8));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("gs://bucket/out is not a local"));
  }

  @Test
  void theStandaloneEntryPointRefusesBadFlagsAndMissingFolders() {
    PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    assertEquals(2, ReportWriter.run(new String[] {"--bogus"}, quiet, quiet));
    assertEquals(2, ReportWriter.run(new String[] {"--top=-1"}, quiet, quiet));
    assertEquals(
        2, ReportWriter.run(new String[] {"--output=" + dir.resolve("absent")}, quiet, quiet));
    assertFalse(Files.exists(dir.resolve("absent")));
  }
}
