package io.coinbeam.metrics;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.beam.sdk.metrics.Gauge;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.Row;
import org.joda.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streaming progress from a table's output: a gauge {@code <table>.closed_until} with the newest
 * window end of an on-time or late pane (the event time up to which this table's windows have been
 * closed by the watermark), and, for {@code --printPanes}, one compact log line per pane (at most
 * {@link #LINES_PER_10_SECONDS} per ten seconds in this JVM; the rest are counted and skipped).
 */
public final class WatchPanes extends DoFn<Row, Void> {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(WatchPanes.class);

  /** The gauge's name after the table's: epoch millis of the newest closed window's end. */
  public static final String CLOSED_UNTIL = "closed_until";

  static final int LINES_PER_10_SECONDS = 50;
  private static final AtomicLong PERIOD = new AtomicLong();
  private static final AtomicLong LINES_IN_PERIOD = new AtomicLong();
  private static final AtomicLong SKIPPED = new AtomicLong();

  private final boolean printPanes;
  private final Gauge closedUntil;
  private final String gaugeName;
  private transient long newestClosed;

  public WatchPanes(String table, boolean printPanes) {
    this.printPanes = printPanes;
    this.gaugeName = table + "." + CLOSED_UNTIL;
    this.closedUntil = Metrics.gauge(PipelineMetrics.NAMESPACE, gaugeName);
  }

  @ProcessElement
  public void process(@Element Row row) {
    String timing = row.getString("pane_timing");
    Instant end = row.getDateTime("window_end").toInstant();
    if (!"EARLY".equals(timing) && end.getMillis() > newestClosed) {
      newestClosed = end.getMillis();
      closedUntil.set(newestClosed);
      InProcessTally.gauge(gaugeName, newestClosed);
    }
    if (printPanes && allowLine()) {
      LOG.info(describe(row));
    }
  }

  /** One trade_candles pane in a line: who, which minute, OHLC, volume, which pane. */
  static String describe(Row row) {
    return String.format(
        Locale.ROOT,
        "candle %s %s/%s %s o=%s h=%s l=%s c=%s v=%s trades=%d %s#%d",
        row.getString("exchange"),
        row.getString("base"),
        row.getString("quote"),
        row.getDateTime("window_start").toInstant(),
        number(row.getDouble("open")),
        number(row.getDouble("high")),
        number(row.getDouble("low")),
        number(row.getDouble("close")),
        number(row.getDouble("volume")),
        row.getInt64("trade_count"),
        row.getString("pane_timing"),
        row.getInt64("pane_index"));
  }

  private static String number(Double value) {
    return value == null ? "-" : String.format(Locale.ROOT, "%.6g", value);
  }

  private static boolean allowLine() {
    long period = System.currentTimeMillis() / 10_000;
    long previous = PERIOD.getAndSet(period);
    if (previous != period) {
      long skipped = SKIPPED.getAndSet(0);
      LINES_IN_PERIOD.set(0);
      if (skipped > 0) {
        LOG.info("({} more panes not printed: at most {} per 10 s)", skipped, LINES_PER_10_SECONDS);
      }
    }
    if (LINES_IN_PERIOD.incrementAndGet() <= LINES_PER_10_SECONDS) {
      return true;
    }
    SKIPPED.incrementAndGet();
    return false;
  }
}
