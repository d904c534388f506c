package io.coinbeam.report;

import java.awt.BasicStroke;
import java.text.DecimalFormat;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The largest assets' prices over the run, from asset_stats: each line is the window's closing
 * price as a change from the asset's first window, so bitcoin and a one-dollar token share an axis.
 */
final class AssetPriceChart {
  static final int WIDTH = 1000;
  static final int HEIGHT = 420;

  /** The asset_stats columns {@link #top} reads. */
  static final List<String> COLUMNS =
      List.of(
          "asset_id", "symbol", "window_start", "window_end", "price_usd_close", "market_cap_usd");

  private AssetPriceChart() {}

  /** One asset's closing prices in time order, with its last market cap (what ranks it). */
  record AssetSeries(
      String assetId,
      String label,
      List<long[]> windows,
      List<Double> closes,
      double marketCapUsd) {

    /** Percentage change of each close from the first one. */
    List<Double> changes() {
      double first = closes.get(0);
      List<Double> out = new ArrayList<>();
      for (double close : closes) {
        out.add((close / first - 1) * 100);
      }
      return out;
    }
  }

  /**
   * The {@code limit} assets with the largest market cap in their latest window (ties by id), each
   * with a usable price in every point drawn.
   */
  static List<AssetSeries> top(List<StoredRow> assetStats, int limit) {
    Map<String, List<StoredRow>> byAsset = new TreeMap<>();
    for (StoredRow row : assetStats) {
      byAsset.computeIfAbsent(row.text("asset_id"), a -> new ArrayList<>()).add(row);
    }
    List<AssetSeries> all = new ArrayList<>();
    byAsset.forEach(
        (asset, rows) -> {
          rows.sort(Comparator.comparingLong(r -> r.millis("window_start")));
          List<long[]> windows = new ArrayList<>();
          List<Double> closes = new ArrayList<>();
          for (StoredRow row : rows) {
            double close = row.number("price_usd_close");
            if (close > 0) {
              windows.add(new long[] {row.millis("window_start"), row.millis("window_end")});
              closes.add(close);
            }
          }
          if (closes.isEmpty()) {
            return;
          }
          StoredRow last = rows.get(rows.size() - 1);
          String symbol = last.text("symbol");
          String label = symbol == null || symbol.isBlank() ? asset : symbol + " (" + asset + ")";
          double cap = last.number("market_cap_usd");
          all.add(new AssetSeries(asset, label, windows, closes, Double.isNaN(cap) ? -1 : cap));
        });
    return all.stream()
        .sorted(
            Comparator.comparingDouble(AssetSeries::marketCapUsd)
                .reversed()
                .thenComparing(AssetSeries::assetId))
        .limit(limit)
        .toList();
  }

  static JFreeChart of(List<AssetSeries> assets) {
    XYSeriesCollection lines = new XYSeriesCollection();
    long from = Long.MAX_VALUE;
    long to = Long.MIN_VALUE;
    for (AssetSeries asset : assets) {
      XYSeries series = new XYSeries(asset.label(), false, true);
      List<Double> changes = asset.changes();
      for (int i = 0; i < changes.size(); i++) {
        long[] window = asset.windows().get(i);
        // A close belongs to its window's end: that is when the price was last seen.
        series.add(window[1], changes.get(i));
        from = Math.min(from, window[0]);
        to = Math.max(to, window[1]);
      }
      lines.addSeries(series);
    }
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
    for (int i = 0; i < assets.size(); i++) {
      renderer.setSeriesPaint(i, ChartLook.SERIES[i % ChartLook.SERIES.length]);
      renderer.setSeriesStroke(i, new BasicStroke(2f));
      renderer.setSeriesShape(i, new java.awt.geom.Ellipse2D.Double(-2.5, -2.5, 5, 5));
    }
    NumberAxis change = new NumberAxis("change since first window (%)");
    change.setAutoRangeIncludesZero(true);
    change.setNumberFormatOverride(new DecimalFormat("+0.0#;-0.0#"));
    XYPlot plot = new XYPlot(lines, ChartLook.timeAxis(from, to), change, renderer);
    ChartLook.plot(plot);
    JFreeChart chart = new JFreeChart(null, ChartLook.TITLE, plot, true);
    chart.getLegend().setPosition(RectangleEdge.BOTTOM);
    ChartLook.title(chart, "closing price (USD) of each window, as a change from the first window");
    return chart;
  }

  static String svg(List<AssetSeries> assets, String idPrefix) {
    return ChartLook.svg(of(assets), WIDTH, HEIGHT, idPrefix);
  }
}
