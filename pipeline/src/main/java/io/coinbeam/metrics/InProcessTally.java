package io.coinbeam.metrics;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

/**
 * The coinbeam counters and gauges as this JVM's workers count them, beside Beam's metrics. Runners
 * that run in this process ({@code [local]}, {@code local[*]}, Direct) execute the pipeline's
 * functions here, so the launcher can read their counts while a job runs even where the runner
 * reports none: Flink {@code [local]} hands its accumulators over only when a job finishes, and a
 * cancelled streaming job never does. On a cluster the workers count elsewhere and Beam's metrics
 * are the source; {@link #mergedWith} takes the larger of the two for each name.
 */
public final class InProcessTally {
  private static final Map<String, LongAdder> COUNTERS = new ConcurrentHashMap<>();
  private static final Map<String, LongAccumulator> GAUGES = new ConcurrentHashMap<>();

  private InProcessTally() {}

  static void add(String name, long n) {
    COUNTERS.computeIfAbsent(name, k -> new LongAdder()).add(n);
  }

  static void gauge(String name, long value) {
    GAUGES
        .computeIfAbsent(name, k -> new LongAccumulator(Math::max, Long.MIN_VALUE))
        .accumulate(value);
  }

  /** Forgets every count: at the start of a run, so one run's counts are its own. */
  public static void reset() {
    COUNTERS.clear();
    GAUGES.clear();
  }

  /** The counters by name ({@code trades.records_read}, ...). */
  public static Map<String, Long> counters() {
    Map<String, Long> values = new TreeMap<>();
    COUNTERS.forEach((name, adder) -> values.put(name, adder.sum()));
    return values;
  }

  /** The gauges by name, each the largest value set. */
  public static Map<String, Long> gauges() {
    Map<String, Long> values = new TreeMap<>();
    GAUGES.forEach((name, max) -> values.put(name, max.get()));
    return values;
  }

  /** For each name, the larger of {@code reported} (the runner's) and {@code counted} (here). */
  public static Map<String, Long> mergedWith(
      Map<String, Long> reported, Map<String, Long> counted) {
    Map<String, Long> merged = new TreeMap<>(reported);
    counted.forEach((name, value) -> merged.merge(name, value, Math::max));
    return merged;
  }
}
