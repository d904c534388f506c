package io.coinbeam.report;

import io.coinbeam.catalog.CoinCapStream;
import io.coinbeam.schema.Column;
import io.coinbeam.schema.TableDefinition;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * How the report shows one stream's aggregate table: a title, which of the table's columns are
 * worth reading (the Parquet files hold them all) and which rows come first. Snapshot tables show
 * their latest window, trade candles their largest windows.
 *
 * <p>The table, its name and its columns' types and descriptions come from the stream's {@link
 * TableDefinition}; a view only picks columns by name, in the order it shows them, and a name the
 * schema does not have fails when the view is made rather than vanishing from the page.
 */
record TableView(
    CoinCapStream stream,
    String title,
    List<Column> columns,
    boolean latestWindowOnly,
    String sortColumn,
    boolean descending,
    String which) {

  static final int TOP_ROWS = 10;

  /** One view per stream, in {@link CoinCapStream} order, as streams are listed everywhere else. */
  static final List<TableView> ALL =
      Arrays.stream(CoinCapStream.values()).map(TableView::of).toList();

  TableView {
    columns = List.copyOf(columns);
  }

  /** The report's view of the stream's table. */
  static TableView of(CoinCapStream stream) {
    return switch (stream) {
      case TRADES ->
          view(
              stream,
              "Trade candles",
              List.of(
                  "exchange",
                  "base",
                  "quote",
                  "window_start",
                  "open",
                  "high",
                  "low",
                  "close",
                  "volume",
                  "volume_usd",
                  "vwap",
                  "trade_count"),
              false,
              "volume_usd",
              true,
              "the candles with the largest volume (USD)");
      case ASSETS ->
          view(
              stream,
              "Asset stats",
              List.of(
                  "asset_id",
                  "symbol",
                  "price_usd_close",
                  "price_usd_low",
                  "price_usd_high",
                  "market_cap_usd",
                  "volume_usd_24hr",
                  "change_percent_24hr",
                  "rank",
                  "observations"),
              true,
              "rank",
              false,
              "by rank");
      case RATES ->
          view(
              stream,
              "Rate stats",
              List.of(
                  "rate_id",
                  "symbol",
                  "currency_symbol",
                  "type",
                  "rate_usd_close",
                  "rate_usd_low",
                  "rate_usd_high",
                  "observations"),
              true,
              "rate_id",
              false,
              "by id");
      case EXCHANGES ->
          view(
              stream,
              "Exchange stats",
              List.of(
                  "exchange_id",
                  "name",
                  "rank",
                  "volume_usd_24hr",
                  "percent_total_volume",
                  "trading_pairs",
                  "socket",
                  "observations"),
              true,
              "rank",
              false,
              "by rank");
      case MARKETS ->
          view(
              stream,
              "Market stats",
              List.of(
                  "base_id",
                  "quote_id",
                  "exchange_count",
                  "volume_usd_24hr",
                  "price_usd_vwap",
                  "price_usd_min",
                  "price_usd_max",
                  "spread_pct",
                  "top_exchange_id",
                  "observations"),
              true,
              "volume_usd_24hr",
              true,
              "by 24h volume");
    };
  }

  /** A view showing the named columns of the stream's table, each as its schema declares it. */
  private static TableView view(
      CoinCapStream stream,
      String title,
      List<String> shown,
      boolean latestWindowOnly,
      String sortColumn,
      boolean descending,
      String which) {
    TableDefinition table = stream.table();
    List<Column> columns = new ArrayList<>();
    for (String name : shown) {
      columns.add(column(table, name));
    }
    column(table, sortColumn);
    return new TableView(stream, title, columns, latestWindowOnly, sortColumn, descending, which);
  }

  private static Column column(TableDefinition table, String name) {
    return table.columns().stream()
        .filter(c -> c.name().equals(name))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "the report uses column " + name + ", which " + table + " does not have"));
  }

  /** The table's definition, from the schema files. */
  TableDefinition definition() {
    return stream.table();
  }

  /** The table's name, e.g. {@code trade_candles}. */
  String table() {
    return stream.tableName();
  }

  /** The window {@link #topRows} shows rows of, when {@link #latestWindowOnly}; else null. */
  StoredRow latestWindow(List<StoredRow> rows) {
    if (!latestWindowOnly || rows.isEmpty()) {
      return null;
    }
    return rows.stream()
        .max(Comparator.comparingLong((StoredRow r) -> r.millis("window_start")))
        .orElseThrow();
  }

  /**
   * The rows to show: of the latest window when {@link #latestWindowOnly}, ordered by the sort
   * column (missing values last), ties by the shown columns' text so the order never depends on
   * file order.
   */
  List<StoredRow> topRows(List<StoredRow> rows) {
    List<StoredRow> candidates = new ArrayList<>(rows);
    if (latestWindowOnly && !rows.isEmpty()) {
      long latest = rows.stream().mapToLong(r -> r.millis("window_start")).max().orElseThrow();
      candidates.removeIf(r -> r.millis("window_start") != latest);
    }
    Comparator<Ranked> order =
        Comparator.comparing(
                (Ranked r) -> r.key,
                descending
                    ? Comparator.nullsLast(Comparator.<Comparable<Object>>reverseOrder())
                    : Comparator.nullsLast(Comparator.<Comparable<Object>>naturalOrder()))
            .thenComparing(Ranked::text);
    // The first few in that order, without sorting a table of hundreds of thousands of rows: a
    // heap of the best so far, whose worst leaves when a better one comes. Each row's sort value
    // is read once, and its text only when it ties.
    PriorityQueue<Ranked> best = new PriorityQueue<>(order.reversed());
    for (StoredRow row : candidates) {
      Ranked ranked = new Ranked(row, sortKey(row.get(sortColumn)));
      if (best.size() < TOP_ROWS) {
        best.add(ranked);
      } else if (order.compare(ranked, best.peek()) < 0) {
        best.poll();
        best.add(ranked);
      }
    }
    List<Ranked> top = new ArrayList<>(best);
    top.sort(order);
    return top.stream().map(r -> r.row).toList();
  }

  /** A row with its sort value, and its shown text once a tie asks for it. */
  private final class Ranked {
    final StoredRow row;
    final Comparable<Object> key;
    private String text;

    Ranked(StoredRow row, Comparable<Object> key) {
      this.row = row;
      this.key = key;
    }

    String text() {
      if (text == null) {
        text = shownText(row);
      }
      return text;
    }
  }

  @SuppressWarnings("unchecked")
  private static Comparable<Object> sortKey(Object value) {
    if (value instanceof Number n) {
      double d = n.doubleValue();
      return Double.isNaN(d) ? null : (Comparable<Object>) (Object) d;
    }
    return (Comparable<Object>) value;
  }

  private String shownText(StoredRow row) {
    StringBuilder text = new StringBuilder();
    for (Column column : columns) {
      text.append(row.get(column.name())).append('\u0001');
    }
    return text.toString();
  }
}
