package io.coinbeam.metrics;

import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.MetricName;
import org.apache.beam.sdk.metrics.Metrics;

/** A Beam counter that is also counted in this process ({@link InProcessTally}). */
final class TalliedCounter implements Counter, java.io.Serializable {
  private static final long serialVersionUID = 1L;
  private final Counter beam;
  private final String name;

  TalliedCounter(String namespace, String name) {
    this.beam = Metrics.counter(namespace, name);
    this.name = name;
  }

  @Override
  public void inc() {
    inc(1);
  }

  @Override
  public void inc(long n) {
    beam.inc(n);
    InProcessTally.add(name, n);
  }

  @Override
  public void dec() {
    inc(-1);
  }

  @Override
  public void dec(long n) {
    inc(-n);
  }

  @Override
  public MetricName getName() {
    return beam.getName();
  }
}
