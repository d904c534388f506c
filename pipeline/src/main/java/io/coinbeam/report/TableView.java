package io.coinbeam.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * How the report shows one aggregate table: a title, the columns worth reading (the Parquet files
 * hold them all) and which rows come first. Snapshot tables show their latest window, trade candles
 * their largest windows.
 */
record TableView(
    String table,
    String stream,
    String title,
    List<String> columns,
    boolean latestWindowOnly,
    String sortColumn,
    boolean descending,
    String which) {

  static final int TOP_ROWS = 10;

  /** The five aggregate tables, in the order streams are listed everywhere else. */
  static final List<TableView> ALL =
      List.of(
          new TableView(
              "trade_candles",
              "trades",
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
              "the candles with the largest volume (USD)"),
          new TableView(
              "asset_stats",
              "assets",
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
              "by rank"),
          new TableView(
              "rate_stats",
              "rates",
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
              "by id"),
          new TableView(
              "exchange_stats",
              "exchanges",
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
              "by rank"),
          new TableView(
              "market_stats",
              "markets",
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
              "by 24h volume"));

  /**
   * The rows to show: of the latest window when {@link #latestWindowOnly}, ordered by the sort
   * column (missing values last), ties by the shown columns' text so the order never depends on
   * file order.
   */
  /** The window {@link #topRows} shows rows of, when {@link #latestWindowOnly}; else null. */
  StoredRow latestWindow(List<StoredRow> rows) {
    if (!latestWindowOnly || rows.isEmpty()) {
      return null;
    }
    return rows.stream()
        .max(Comparator.comparingLong((StoredRow r) -> r.millis("window_start")))
        .orElseThrow();
  }

  List<StoredRow> topRows(List<StoredRow> rows) {
    List<StoredRow> candidates = new ArrayList<>(rows);
    if (latestWindowOnly && !rows.isEmpty()) {
      long latest = rows.stream().mapToLong(r -> r.millis("window_start")).max().orElseThrow();
      candidates.removeIf(r -> r.millis("window_start") != latest);
    }
    Comparator<StoredRow> bySort =
        Comparator.comparing(
            (StoredRow r) -> sortKey(r.get(sortColumn)),
            descending
                ? Comparator.nullsLast(Comparator.<Comparable<Object>>reverseOrder())
                : Comparator.nullsLast(Comparator.<Comparable<Object>>naturalOrder()));
    Comparator<StoredRow> byText = Comparator.comparing(this::shownText);
    candidates.sort(bySort.thenComparing(byText));
    return candidates.subList(0, Math.min(TOP_ROWS, candidates.size()));
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
    for (String column : columns) {
      text.append(row.get(column)).append('\u0001');
    }
    return text.toString();
  }
}
