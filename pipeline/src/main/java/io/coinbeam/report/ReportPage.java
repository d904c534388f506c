package io.coinbeam.report;

import io.coinbeam.rows.DeadLetters;
import io.coinbeam.schema.Column;
import io.coinbeam.schema.ColumnType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds the report's HTML: one self-contained page (inline CSS and SVG, no script, nothing fetched
 * from the network) with the run summary, the top pairs' candlestick charts, the asset price chart,
 * one section per table and the dead letters by reason. Every value from the data is escaped.
 */
final class ReportPage {
  /** The dead letters table's name, as its schema file names it. */
  static final String DEAD_LETTERS = DeadLetters.table().name();

  private final StringBuilder html = new StringBuilder(256 * 1024);
  private final Map<String, StoredTable> tables;
  private final RunCounts counts;
  private final String outputLabel;
  private final int topPairs;

  ReportPage(Map<String, StoredTable> tables, RunCounts counts, String outputLabel, int topPairs) {
    this.tables = tables;
    this.counts = counts;
    this.outputLabel = outputLabel;
    this.topPairs = topPairs;
  }

  /**
   * The columns of {@code view}'s table that the page reads: those it shows, sorts and counts by,
   * the window bounds, and what its chart draws. The report reads only these from the files.
   */
  static Set<String> columnsRead(TableView view) {
    Set<String> columns = new LinkedHashSet<>(view.definition().key());
    columns.addAll(List.of("window_start", "window_end", view.sortColumn()));
    view.columns().forEach(c -> columns.add(c.name()));
    switch (view.stream()) {
      case TRADES -> columns.addAll(PairCandles.COLUMNS);
      case ASSETS -> columns.addAll(AssetPriceChart.COLUMNS);
      default -> {}
    }
    return columns;
  }

  String render() {
    html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<title>coinbeam run report</title>\n<style>\n")
        .append(stylesheet())
        .append("</style>\n</head>\n<body>\n<header>\n<h1>coinbeam run report</h1>\n")
        .append("<p class=\"meta\">From the Parquet tables in <code>")
        .append(Html.escape(outputLabel))
        .append("</code>")
        .append(span())
        .append(". Times are UTC.</p>\n<nav>");
    link("summary", "Summary");
    link("charts", "Charts");
    for (TableView view : TableView.ALL) {
      link("table-" + view.table(), view.table());
    }
    link("table-" + DEAD_LETTERS, DEAD_LETTERS);
    html.append("</nav>\n</header>\n<main>\n");
    summary();
    charts();
    for (TableView view : TableView.ALL) {
      tableSection(view);
    }
    deadLetters();
    html.append("</main>\n<footer>Written by <code>io.coinbeam.report.ReportWriter</code>; ")
        .append("charts drawn with JFreeChart. Every column is in the Parquet files; ")
        .append("the tables here show a selection.</footer>\n</body>\n</html>\n");
    return html.toString();
  }

  private void link(String id, String text) {
    html.append("<a href=\"#").append(id).append("\">").append(Html.escape(text)).append("</a>");
  }

  /** ", windows from 12:00 to 12:30" over all aggregate tables, or nothing. */
  private String span() {
    long from = Long.MAX_VALUE;
    long to = Long.MIN_VALUE;
    for (TableView view : TableView.ALL) {
      for (StoredRow row : table(view.table()).rows()) {
        from = Math.min(from, row.millis("window_start"));
        to = Math.max(to, row.millis("window_end"));
      }
    }
    return from > to
        ? ""
        : ", event-time windows from " + Formats.time(from) + " to " + Formats.time(to);
  }

  private StoredTable table(String name) {
    return tables.get(name);
  }

  // ---- summary ---------------------------------------------------------------------------

  private void summary() {
    html.append("<section id=\"summary\">\n<h2>Summary</h2>\n");
    if (counts != null) {
      html.append(
              "<h3>This run</h3>\n<div class=\"scroll\"><table class=\"data\" id=\"run-counts\">")
          .append("<thead><tr><th>stream</th><th class=\"num\">records read</th>")
          .append("<th class=\"num\">rows parsed</th><th class=\"num\">dead letters</th>")
          .append("<th>table</th><th class=\"num\">rows written</th></tr></thead><tbody>\n");
      long read = 0;
      long parsed = 0;
      long dead = 0;
      long rows = 0;
      for (RunCounts.StreamCounts line : counts.streams()) {
        html.append("<tr><td>")
            .append(Html.escape(line.stream()))
            .append("</td>")
            .append(numCell(line.recordsRead()))
            .append(numCell(line.rowsParsed()))
            .append(numCell(line.deadLetters()))
            .append("<td>")
            .append(Html.escape(line.table()))
            .append("</td>")
            .append(numCell(line.rows()))
            .append("</tr>\n");
        read += line.recordsRead();
        parsed += line.rowsParsed();
        dead += line.deadLetters();
        rows += line.rows();
      }
      html.append("</tbody><tfoot><tr><th>total</th>")
          .append(numCell(read))
          .append(numCell(parsed))
          .append(numCell(dead))
          .append("<th></th>")
          .append(numCell(rows))
          .append("</tr></tfoot></table></div>\n")
          .append("<p class=\"note\">A record is a line or a file of input; a snapshot record")
          .append(" holds many rows. Every record ends in a table or in dead_letters, except")
          .append(" exchange-feed frames without trades (acknowledgements, heartbeats), which are")
          .append(" counted as skipped in the run's summary.</p>\n");
    } else {
      html.append("<p class=\"note\">Written from the files alone: the run's counters (records")
          .append(" read, rows parsed) are printed at the end of each pipeline run.</p>\n");
    }
    html.append("<h3>Tables</h3>\n<div class=\"scroll\"><table class=\"data\" id=\"tables\">")
        .append("<thead><tr><th>table</th><th class=\"num\">rows</th><th class=\"num\">keys</th>")
        .append("<th class=\"num\">windows</th><th>from</th><th>to</th><th>files</th>")
        .append("</tr></thead><tbody>\n");
    for (TableView view : TableView.ALL) {
      StoredTable t = table(view.table());
      Set<List<Object>> keys = new HashSet<>();
      Set<Long> windows = new HashSet<>();
      long from = Long.MAX_VALUE;
      long to = Long.MIN_VALUE;
      List<String> keyColumns = new ArrayList<>(t.table().key());
      keyColumns.remove("window_start");
      for (StoredRow row : t.rows()) {
        Object[] key = new Object[keyColumns.size()];
        for (int i = 0; i < key.length; i++) {
          key[i] = row.get(keyColumns.get(i));
        }
        keys.add(Arrays.asList(key));
        windows.add(row.millis("window_start"));
        from = Math.min(from, row.millis("window_start"));
        to = Math.max(to, row.millis("window_end"));
      }
      html.append("<tr><td><a href=\"#table-")
          .append(view.table())
          .append("\">")
          .append(view.table())
          .append("</a></td>")
          .append(numCell(t.rows().size()))
          .append(numCell(keys.size()))
          .append(numCell(windows.size()))
          .append("<td>")
          .append(t.isEmpty() ? "" : Formats.time(from))
          .append("</td><td>")
          .append(t.isEmpty() ? "" : Formats.time(to))
          .append("</td><td>")
          .append(Html.escape(fileNote(t)))
          .append("</td></tr>\n");
    }
    StoredTable dead = table(DEAD_LETTERS);
    html.append("<tr><td><a href=\"#table-")
        .append(DEAD_LETTERS)
        .append("\">")
        .append(DEAD_LETTERS)
        .append("</a></td>")
        .append(numCell(dead.rows().size()))
        .append("<td></td><td></td><td></td><td></td><td>")
        .append(Html.escape(fileNote(dead)))
        .append("</td></tr>\n</tbody></table></div>\n</section>\n");
  }

  private String fileNote(StoredTable t) {
    if (!t.folderExists()) {
      return "no folder";
    }
    String files = t.files() == 1 ? "1 file" : t.files() + " files";
    if (counts != null && !counts.wrote(t.name())) {
      return files + ", from an earlier run";
    }
    return files;
  }

  private static String numCell(long n) {
    return "<td class=\"num\">" + Formats.count(n) + "</td>";
  }

  // ---- charts ----------------------------------------------------------------------------

  private void charts() {
    html.append("<section id=\"charts\">\n<h2>Top pairs by volume</h2>\n");
    List<PairCandles> top = PairCandles.top(table("trade_candles").rows(), topPairs);
    if (top.isEmpty()) {
      html.append("<p class=\"empty\">No trade candles: no rows, so no candlestick charts.</p>\n");
    } else {
      html.append("<p class=\"note\">The ")
          .append(top.size())
          .append(top.size() == 1 ? " pair" : " pairs")
          .append(" with the largest total volume in USD: one candle per trade_candles window")
          .append(" (open, high, low, close in the quote currency; green when it closed higher)")
          .append(" and the window's volume in USD below.</p>\n<div class=\"charts\">\n");
      int n = 0;
      for (PairCandles pair : top) {
        n++;
        PairCandles shown = pair.lastWindows(MAX_CANDLES);
        html.append("<figure class=\"chart candles\" data-pair=\"")
            .append(Html.escape(pair.pair().id()))
            .append("\" data-candles=\"")
            .append(shown.candles().size())
            .append("\">\n");
        String idPrefix = "c" + n + "-";
        svgOrError(() -> CandleChart.svg(shown, idPrefix));
        html.append("<figcaption>")
            .append(n)
            .append(". ")
            .append(Html.escape(pair.pair().label()))
            .append(": ")
            .append(Formats.usd(pair.volumeUsd()))
            .append(" in ")
            .append(Formats.count(pair.trades()))
            .append(" trades");
        if (shown != pair) {
          html.append(" (the last ").append(MAX_CANDLES).append(" windows shown)");
        }
        html.append("</figcaption>\n</figure>\n");
      }
      html.append("</div>\n");
    }
    html.append("<h2>Asset prices</h2>\n");
    List<AssetPriceChart.AssetSeries> assets =
        AssetPriceChart.top(table("asset_stats").rows(), TOP_ASSETS);
    if (assets.isEmpty()) {
      html.append("<p class=\"empty\">No asset stats: no rows, so no price chart.</p>\n");
    } else {
      html.append("<p class=\"note\">The ")
          .append(assets.size())
          .append(" largest assets by market cap in their latest window.</p>\n")
          .append("<figure class=\"chart prices\" data-assets=\"")
          .append(assets.size())
          .append("\">\n");
      svgOrError(() -> AssetPriceChart.svg(assets, "p-"));
      html.append("</figure>\n");
    }
    html.append("</section>\n");
  }

  static final int MAX_CANDLES = 240;
  static final int TOP_ASSETS = 6;

  /** A chart that cannot be drawn costs only its figure, never the report. */
  private void svgOrError(java.util.function.Supplier<String> svg) {
    try {
      html.append(svg.get()).append('\n');
    } catch (RuntimeException | LinkageError e) {
      html.append("<p class=\"error\">The chart could not be drawn: ")
          .append(Html.escape(e.toString()))
          .append("</p>\n");
    }
  }

  // ---- tables ----------------------------------------------------------------------------

  private void tableSection(TableView view) {
    StoredTable t = table(view.table());
    sectionHeader(view.table(), view.title(), t, "stream " + view.stream().id());
    if (t.isEmpty()) {
      html.append("<p class=\"empty\">no rows")
          .append(t.folderExists() ? "" : " (no " + view.table() + " folder in the output)")
          .append("</p>\n</section>\n");
      return;
    }
    List<StoredRow> shown = view.topRows(t.rows());
    html.append("<p class=\"note\">")
        .append(shown.size())
        .append(" of ")
        .append(Formats.count(t.rows().size()))
        .append(" rows: ");
    StoredRow latest = view.latestWindow(t.rows());
    if (latest != null) {
      html.append("the latest window, ")
          .append(Formats.time(latest.millis("window_start")))
          .append(" to ")
          .append(Formats.time(latest.millis("window_end")))
          .append(", ");
    }
    html.append(Html.escape(view.which()))
        .append(".</p>\n<div class=\"scroll\"><table class=\"data\"><thead><tr>");
    List<Column> columns = view.columns();
    for (Column c : columns) {
      html.append("<th")
          .append(numeric(c) ? " class=\"num\"" : "")
          .append(" title=\"")
          .append(Html.escape(c.description()))
          .append("\">")
          .append(Html.escape(c.name()))
          .append("</th>");
    }
    html.append("</tr></thead><tbody>\n");
    for (StoredRow row : shown) {
      html.append("<tr>");
      for (Column c : columns) {
        html.append(numeric(c) ? "<td class=\"num\">" : "<td>")
            .append(Html.escape(cell(c, row.get(c.name()))))
            .append("</td>");
      }
      html.append("</tr>\n");
    }
    html.append("</tbody></table></div>\n</section>\n");
  }

  private void sectionHeader(String name, String title, StoredTable t, String subtitle) {
    html.append("<section class=\"table\" id=\"table-")
        .append(name)
        .append("\" data-table=\"")
        .append(name)
        .append("\" data-rows=\"")
        .append(t.rows().size())
        .append("\">\n<h2>")
        .append(Html.escape(title))
        .append(" <code>")
        .append(name)
        .append("</code> <span class=\"count\">")
        .append(Formats.count(t.rows().size()))
        .append(t.rows().size() == 1 ? " row" : " rows")
        .append("</span></h2>\n<p class=\"sub\">")
        .append(Html.escape(subtitle))
        .append("</p>\n");
  }

  /** Percentages (change_percent_24hr, spread_pct, ...) with a unit; the rest by type. */
  private static String cell(Column c, Object value) {
    boolean percent = c.name().contains("percent") || c.name().endsWith("_pct");
    if (percent && value instanceof Number n) {
      return Formats.percent(n.doubleValue());
    }
    return Formats.cell(c.type(), value);
  }

  private static boolean numeric(Column c) {
    return c.type() == ColumnType.FLOAT || c.type() == ColumnType.INTEGER;
  }

  // ---- dead letters ----------------------------------------------------------------------

  /** One reason a stream's records were rejected, how often, and where it happened first. */
  private record Reason(String stream, String error, int count, String firstSource) {}

  /** A stream's dead letters of one error, counted as the rows go by. */
  private static final class Occurrences {
    int count;
    String firstSource;

    void add(String source) {
      count++;
      if (firstSource == null || source.compareTo(firstSource) < 0) {
        firstSource = source;
      }
    }
  }

  private void deadLetters() {
    StoredTable t = table(DEAD_LETTERS);
    sectionHeader(DEAD_LETTERS, "Dead letters", t, "input that could not be used, by reason");
    if (t.isEmpty()) {
      html.append("<p class=\"empty\">no rows")
          .append(t.folderExists() ? "" : " (no " + DEAD_LETTERS + " folder in the output)")
          .append("</p>\n</section>\n");
      return;
    }
    Map<List<String>, Occurrences> byReason = new HashMap<>();
    for (StoredRow row : t.rows()) {
      byReason
          .computeIfAbsent(
              List.of(String.valueOf(row.text("stream")), String.valueOf(row.text("error"))),
              k -> new Occurrences())
          .add(String.valueOf(row.text("source")));
    }
    List<Reason> reasons = new ArrayList<>();
    byReason.forEach(
        (key, seen) ->
            reasons.add(new Reason(key.get(0), key.get(1), seen.count, seen.firstSource)));
    reasons.sort(
        Comparator.comparing(Reason::stream)
            .thenComparing(Comparator.comparingInt(Reason::count).reversed())
            .thenComparing(Reason::error));
    html.append("<div class=\"scroll\"><table class=\"data\" id=\"dead-letter-reasons\">")
        .append("<thead><tr><th>stream</th><th>error</th><th class=\"num\">count</th>")
        .append("<th>first source</th></tr></thead><tbody>\n");
    for (Reason r : reasons) {
      html.append("<tr><td>")
          .append(Html.escape(r.stream()))
          .append("</td><td class=\"wrap\">")
          .append(Html.escape(r.error()))
          .append("</td>")
          .append(numCell(r.count()))
          .append("<td class=\"source\" title=\"")
          .append(Html.escape(r.firstSource()))
          .append("\">")
          .append(Html.escape(fileName(r.firstSource())))
          .append("</td></tr>\n");
    }
    html.append("</tbody></table></div>\n</section>\n");
  }

  /** /data/sample/trades/x.ndjson:12 -> x.ndjson:12; the full source is in the cell's title. */
  private static String fileName(String source) {
    int slash = Math.max(source.lastIndexOf('/'), source.lastIndexOf('\\'));
    return slash < 0 ? source : source.substring(slash + 1);
  }

  private static String stylesheet() {
    try (InputStream in = ReportPage.class.getResourceAsStream("report.css")) {
      if (in == null) {
        throw new IllegalStateException("report.css is missing from the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
