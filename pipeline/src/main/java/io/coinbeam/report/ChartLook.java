package io.coinbeam.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Rectangle;
import java.text.NumberFormat;
import java.text.SimpleDateFormat;
import java.util.Locale;
import java.util.TimeZone;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.DateAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.svg.MeetOrSlice;
import org.jfree.svg.PreserveAspectRatio;
import org.jfree.svg.SVGGraphics2D;
import org.jfree.svg.ViewBox;

/**
 * The report's one chart style (colours, fonts, axes in UTC) and the rendering of a chart into an
 * inline SVG element. SVG keeps the report a single small file that stays sharp at any zoom.
 */
final class ChartLook {
  static {
    // Charts are drawn off screen; without this a machine with no display may refuse AWT.
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
  }

  static final Color UP = new Color(0x16, 0xA3, 0x4A);
  static final Color DOWN = new Color(0xDC, 0x26, 0x26);
  static final Color VOLUME = new Color(0x64, 0x74, 0x8B);
  static final Color FLAT = new Color(0x47, 0x55, 0x69);
  static final Color WICK = new Color(0x33, 0x41, 0x55);
  static final Color TEXT = new Color(0x1F, 0x29, 0x37);
  static final Color MUTED = new Color(0x6B, 0x72, 0x80);
  static final Color GRID = new Color(0xE5, 0xE7, 0xEB);
  static final Color PLOT = new Color(0xFC, 0xFC, 0xFD);

  /** Line colours for several series: distinct to the eye, none close to the candles' red/green. */
  static final Color[] SERIES = {
    new Color(0x25, 0x63, 0xEB),
    new Color(0xEA, 0x58, 0x0C),
    new Color(0x93, 0x33, 0xEA),
    new Color(0x08, 0x91, 0xB2),
    new Color(0xCA, 0x8A, 0x04),
    new Color(0xDB, 0x27, 0x77),
    new Color(0x4B, 0x55, 0x63),
    new Color(0x65, 0xA3, 0x0D)
  };

  private static final String FONT = Font.SANS_SERIF;
  static final Font TITLE = new Font(FONT, Font.BOLD, 16);
  static final Font LABEL = new Font(FONT, Font.PLAIN, 12);
  static final Font TICK = new Font(FONT, Font.PLAIN, 11);

  private ChartLook() {}

  static void title(JFreeChart chart, String subtitle) {
    if (chart.getTitle() != null) {
      chart.getTitle().setFont(TITLE);
      chart.getTitle().setPaint(TEXT);
      chart.getTitle().setPadding(new RectangleInsets(4, 4, 0, 4));
    }
    if (subtitle != null) {
      TextTitle sub = new TextTitle(subtitle, LABEL);
      sub.setPaint(MUTED);
      sub.setPadding(new RectangleInsets(2, 4, 4, 4));
      chart.addSubtitle(sub);
    }
    chart.setBackgroundPaint(Color.WHITE);
    chart.setPadding(new RectangleInsets(4, 4, 4, 16));
    LegendTitle legend = chart.getLegend();
    if (legend != null) {
      legend.setItemFont(LABEL);
      legend.setItemPaint(TEXT);
      legend.setFrame(org.jfree.chart.block.BlockBorder.NONE);
    }
  }

  static void plot(XYPlot plot) {
    plot.setBackgroundPaint(PLOT);
    plot.setOutlinePaint(GRID);
    plot.setDomainGridlinePaint(GRID);
    plot.setRangeGridlinePaint(GRID);
    plot.setDomainGridlineStroke(new BasicStroke(1f));
    plot.setRangeGridlineStroke(new BasicStroke(1f));
    plot.setAxisOffset(new RectangleInsets(2, 2, 2, 2));
    if (plot.getRangeAxis() != null) {
      axis(plot.getRangeAxis());
    }
  }

  static void axis(ValueAxis axis) {
    axis.setLabelFont(LABEL);
    axis.setLabelPaint(MUTED);
    axis.setTickLabelFont(TICK);
    axis.setTickLabelPaint(TEXT);
    axis.setAxisLinePaint(GRID);
    axis.setTickMarkPaint(GRID);
  }

  /**
   * A time axis in UTC. Labels show the date too when the data spans days, and seconds when it
   * spans only minutes (the axis then ticks every few seconds).
   */
  static DateAxis timeAxis(long fromMillis, long toMillis) {
    DateAxis axis = new DateAxis("time (UTC)");
    TimeZone utc = TimeZone.getTimeZone("UTC");
    axis.setTimeZone(utc);
    long span = toMillis - fromMillis;
    String pattern =
        span > 24L * 3600 * 1000 ? "MM-dd HH:mm" : span < 10L * 60 * 1000 ? "HH:mm:ss" : "HH:mm";
    SimpleDateFormat format = new SimpleDateFormat(pattern, Locale.ROOT);
    format.setTimeZone(utc);
    axis.setDateFormatOverride(format);
    axis.setLowerMargin(0.01);
    axis.setUpperMargin(0.01);
    axis(axis);
    return axis;
  }

  /** 1.5K, 2.3M: axis labels for amounts that span orders of magnitude. */
  static NumberFormat compactNumbers() {
    NumberFormat format =
        NumberFormat.getCompactNumberInstance(Locale.US, NumberFormat.Style.SHORT);
    format.setMaximumFractionDigits(1);
    return format;
  }

  /**
   * The chart drawn into an {@code <svg>} element sized by CSS (a viewBox, no fixed size). {@code
   * idPrefix} keeps the ids of clip paths unique when several charts share one HTML page.
   */
  static String svg(JFreeChart chart, int width, int height, String idPrefix) {
    SVGGraphics2D g2 = new SVGGraphics2D(width, height);
    g2.setDefsKeyPrefix(idPrefix);
    // Two decimals are plenty on screen and keep the file small.
    g2.setGeomDoubleConverter(ChartLook::twoDecimals);
    g2.setTransformDoubleConverter(ChartLook::twoDecimals);
    chart.draw(g2, new Rectangle(0, 0, width, height));
    return g2.getSVGElement(
        idPrefix + "svg",
        false,
        new ViewBox(0, 0, width, height),
        PreserveAspectRatio.XMID_YMID,
        MeetOrSlice.MEET);
  }

  private static String twoDecimals(double d) {
    if (d == Math.rint(d) && Math.abs(d) < 1e15) {
      return Long.toString((long) d);
    }
    return String.format(Locale.ROOT, "%.2f", d);
  }
}
