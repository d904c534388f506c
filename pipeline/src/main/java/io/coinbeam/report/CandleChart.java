package io.coinbeam.report;

import java.awt.geom.Rectangle2D;
import java.util.Date;
import java.util.List;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.CandlestickRenderer;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.DefaultOHLCDataset;
import org.jfree.data.xy.OHLCDataItem;
import org.jfree.data.xy.XYIntervalSeries;
import org.jfree.data.xy.XYIntervalSeriesCollection;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * A pair's candlestick chart with its volume below, on one time axis: one candle and one volume bar
 * per trade_candles window. Candles rise in {@link ChartLook#UP}, fall in {@link ChartLook#DOWN};
 * bars are {@link ChartLook#VOLUME} and span their window.
 */
final class CandleChart {
  static final int WIDTH = 640;
  static final int HEIGHT = 400;

  private CandleChart() {}

  static JFreeChart of(PairCandles pair) {
    List<Candle> candles = pair.candles();
    OHLCDataItem[] items = new OHLCDataItem[candles.size()];
    XYIntervalSeries volume = new XYIntervalSeries("volume (USD)");
    for (int i = 0; i < candles.size(); i++) {
      Candle c = candles.get(i);
      // The candle stands in the middle of its window, above its volume bar.
      long middle = c.windowStart() + (c.windowEnd() - c.windowStart()) / 2;
      items[i] = new OHLCDataItem(new Date(middle), c.open(), c.high(), c.low(), c.close(), 0);
      volume.add(middle, c.windowStart(), c.windowEnd(), c.volumeUsd(), 0, c.volumeUsd());
    }

    CandlestickRenderer candleRenderer = new CandlestickRenderer();
    candleRenderer.setUpPaint(ChartLook.UP);
    candleRenderer.setDownPaint(ChartLook.DOWN);
    candleRenderer.setSeriesPaint(0, ChartLook.WICK);
    candleRenderer.setUseOutlinePaint(false);
    candleRenderer.setDrawVolume(false);
    candleRenderer.setAutoWidthMethod(CandlestickRenderer.WIDTHMETHOD_SMALLEST);
    candleRenderer.setAutoWidthFactor(0.7);
    candleRenderer.setDefaultToolTipGenerator(null);
    NumberAxis priceAxis = new NumberAxis("price (" + pair.pair().quote() + ")");
    priceAxis.setAutoRangeIncludesZero(false);
    XYPlot prices =
        new XYPlot(
            new DefaultOHLCDataset(pair.pair().id(), items), null, priceAxis, candleRenderer);
    addFlatCandles(prices, candles);
    ChartLook.plot(prices);

    XYBarRenderer barRenderer = new XYBarRenderer(0.2);
    barRenderer.setBarPainter(new StandardXYBarPainter());
    barRenderer.setShadowVisible(false);
    barRenderer.setDrawBarOutline(false);
    barRenderer.setSeriesPaint(0, ChartLook.VOLUME);
    NumberAxis volumeAxis = new NumberAxis("volume (USD)");
    volumeAxis.setNumberFormatOverride(ChartLook.compactNumbers());
    volumeAxis.setAutoRangeIncludesZero(true);
    XYPlot volumes = new XYPlot(new XYIntervalSeriesCollection(), null, volumeAxis, barRenderer);
    ((XYIntervalSeriesCollection) volumes.getDataset()).addSeries(volume);
    ChartLook.plot(volumes);

    long from = candles.isEmpty() ? 0 : candles.get(0).windowStart();
    long to = candles.isEmpty() ? 0 : candles.get(candles.size() - 1).windowEnd();
    CombinedDomainXYPlot plot = new CombinedDomainXYPlot(ChartLook.timeAxis(from, to));
    plot.setGap(6);
    plot.add(prices, 3);
    plot.add(volumes, 1);

    JFreeChart chart = new JFreeChart(pair.pair().label(), ChartLook.TITLE, plot, false);
    ChartLook.title(chart, windows(candles));
    return chart;
  }

  /**
   * Windows that closed where they opened (often a single trade) have a body of no height, which
   * the candlestick renderer leaves as an empty zero-height outline that browsers do not draw. They
   * get a short bar of {@link ChartLook#FLAT} at their price instead, as a second dataset.
   */
  private static void addFlatCandles(XYPlot prices, List<Candle> candles) {
    XYSeries flat = new XYSeries("unchanged", false, true);
    for (Candle c : candles) {
      if (c.close() == c.open()) {
        flat.add(c.windowStart() + (c.windowEnd() - c.windowStart()) / 2.0, c.close());
      }
    }
    if (flat.isEmpty()) {
      return;
    }
    // About the width of a candle body: the plot is ~85% of the chart, bodies ~75% of a slot.
    double width = Math.max(3, WIDTH * 0.85 / candles.size() * 0.75);
    XYLineAndShapeRenderer marks = new XYLineAndShapeRenderer(false, true);
    marks.setSeriesShape(0, new Rectangle2D.Double(-width / 2, -1, width, 2));
    marks.setSeriesPaint(0, ChartLook.FLAT);
    marks.setDefaultToolTipGenerator(null);
    prices.setDataset(1, new XYSeriesCollection(flat));
    prices.setRenderer(1, marks);
  }

  /** "30 windows of 1 min", from the candles' own window length. */
  private static String windows(List<Candle> candles) {
    if (candles.isEmpty()) {
      return "no windows";
    }
    long seconds = (candles.get(0).windowEnd() - candles.get(0).windowStart()) / 1000;
    String length =
        seconds % 3600 == 0
            ? seconds / 3600 + " h"
            : seconds % 60 == 0 ? seconds / 60 + " min" : seconds + " s";
    return Formats.count(candles.size())
        + (candles.size() == 1 ? " window of " : " windows of ")
        + length;
  }

  static String svg(PairCandles pair, String idPrefix) {
    return ChartLook.svg(of(pair), WIDTH, HEIGHT, idPrefix);
  }
}
