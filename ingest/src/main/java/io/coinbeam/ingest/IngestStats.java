package io.coinbeam.ingest;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Named counters of what the ingester did (polls, rows, rejects, retries, reconnects, per stream),
 * for its periodic status line and for tests. Names read {@code <stream>.<what>}, e.g. {@code
 * assets.rows}.
 */
public final class IngestStats {
  private final Map<String, AtomicLong> counters = new ConcurrentHashMap<>();

  public void add(String name, long n) {
    counters.computeIfAbsent(name, k -> new AtomicLong()).addAndGet(n);
  }

  public void increment(String name) {
    add(name, 1);
  }

  public long get(String name) {
    AtomicLong counter = counters.get(name);
    return counter == null ? 0 : counter.get();
  }

  /** All counters, sorted by name. */
  public Map<String, Long> snapshot() {
    Map<String, Long> copy = new TreeMap<>();
    counters.forEach((name, n) -> copy.put(name, n.get()));
    return copy;
  }

  @Override
  public String toString() {
    StringBuilder text = new StringBuilder();
    snapshot()
        .forEach(
            (name, n) -> {
              if (text.length() > 0) {
                text.append(", ");
              }
              text.append(name).append('=').append(String.format("%,d", n));
            });
    return text.toString();
  }
}
