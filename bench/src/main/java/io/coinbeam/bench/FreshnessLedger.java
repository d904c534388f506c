package io.coinbeam.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The streaming benchmark's bookkeeping of one measured step: when each trade was sent, per candle,
 * and when the sink first showed it. Trade i (1-based, in send order) of a candle is visible from
 * the first poll at which that candle's row has {@code trade_count >= i}; its freshness is that
 * poll's time minus its send time. One pair stays in one Kafka partition, read in order, so a pane
 * that counts i trades holds the first i that were sent.
 *
 * <p>Each poll also gives the row's {@code written_at} (PostgreSQL's {@code now()} when the pane
 * was upserted), which splits freshness in two: from send to the sink's write (source, early
 * firing, sink batch) and from the write to the poll that saw it (commit and the poll interval).
 *
 * <p>The producer thread calls {@link #sent}, the poller {@link #observe}: methods are
 * synchronized.
 */
public final class FreshnessLedger {
  /** What one poll read of one row. */
  public record RowState(long tradeCount, long writtenAtMillis) {}

  /** The send times of one candle's trades, in send order, and how many of them were seen. */
  private static final class Candle {
    private long[] sentAt = new long[8];
    private int size;
    private int seen;

    void add(long millis) {
      if (size == sentAt.length) {
        sentAt = Arrays.copyOf(sentAt, size * 2);
      }
      sentAt[size++] = millis;
    }
  }

  private final Map<CandleKey, Candle> candles = new LinkedHashMap<>();
  private final LongList visible = new LongList();
  private final LongList written = new LongList();
  private long sent;
  private long seen;
  private long lastSeenAt = -1;

  /** Records a trade of {@code key} sent at {@code sentMillis}; call in send order. */
  public synchronized void sent(CandleKey key, long sentMillis) {
    candles.computeIfAbsent(key, k -> new Candle()).add(sentMillis);
    sent++;
  }

  /**
   * One poll of the sink taken at {@code pollMillis}: every row it read (rows of other steps are
   * ignored). Trades a row's count newly covers become visible at this poll.
   */
  public synchronized void observe(Map<CandleKey, RowState> rows, long pollMillis) {
    for (Map.Entry<CandleKey, Candle> entry : candles.entrySet()) {
      RowState row = rows.get(entry.getKey());
      if (row == null) {
        continue;
      }
      Candle candle = entry.getValue();
      // A count above what was sent is an output error (the final check reports it), not more
      // trades to time.
      int covered = (int) Math.min(row.tradeCount(), candle.size);
      for (int i = candle.seen; i < covered; i++) {
        visible.add(pollMillis - candle.sentAt[i]);
        written.add(row.writtenAtMillis() - candle.sentAt[i]);
      }
      if (covered > candle.seen) {
        seen += covered - candle.seen;
        candle.seen = covered;
        lastSeenAt = pollMillis;
      }
    }
  }

  /** Trades sent so far. */
  public synchronized long sentCount() {
    return sent;
  }

  /** Trades sent and not yet seen in the sink. */
  public synchronized long unseen() {
    return sent - seen;
  }

  /** When the last trade seen so far became visible, if any was. */
  public synchronized Optional<Long> lastSeenAt() {
    return lastSeenAt < 0 ? Optional.empty() : Optional.of(lastSeenAt);
  }

  /** Freshness of every seen trade, in milliseconds, ascending: send to the poll that saw it. */
  public synchronized long[] freshnessMillis() {
    return visible.sorted();
  }

  /** Send to the sink's {@code written_at} of the pane that first held it, ms, ascending. */
  public synchronized long[] toWrittenMillis() {
    return written.sorted();
  }

  /**
   * The output check: every candle this step sent must have a row whose {@code trade_count} is the
   * number of trades sent for it, and no row in {@code rows} may be one this step did not send.
   *
   * @param rows the final rows of this step's exchanges (the caller leaves other steps' out)
   * @return what is wrong, empty when the output is exactly right
   */
  public synchronized List<String> differences(Map<CandleKey, Long> rows) {
    List<String> problems = new ArrayList<>();
    for (Map.Entry<CandleKey, Candle> entry : candles.entrySet()) {
      Long count = rows.get(entry.getKey());
      int expected = entry.getValue().size;
      if (count == null) {
        problems.add("no row for " + entry.getKey() + " (" + expected + " trades sent)");
      } else if (count != expected) {
        problems.add(
            entry.getKey() + " has trade_count " + count + ", " + expected + " trades were sent");
      }
    }
    for (CandleKey key : rows.keySet()) {
      if (!candles.containsKey(key)) {
        problems.add("row " + key + " for a candle no trade was sent to");
      }
    }
    return problems;
  }

  /** A growable array of longs: a step records up to a million latencies, unboxed. */
  private static final class LongList {
    private long[] values = new long[1024];
    private int size;

    void add(long value) {
      if (size == values.length) {
        values = Arrays.copyOf(values, size * 2);
      }
      values[size++] = value;
    }

    long[] sorted() {
      long[] copy = Arrays.copyOf(values, size);
      Arrays.sort(copy);
      return copy;
    }
  }

  /** Convenience for tests and callers: counts of a rows map, without the write times. */
  static Map<CandleKey, Long> counts(Map<CandleKey, RowState> rows) {
    Map<CandleKey, Long> counts = new HashMap<>();
    rows.forEach((key, row) -> counts.put(key, row.tradeCount()));
    return counts;
  }
}
