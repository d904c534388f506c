package io.coinbeam.bench;

/**
 * One part of the benchmark with its own section in docs/BENCHMARKS.md: batch throughput and
 * streaming freshness. The {@link Benchmark} runs every scenario in turn and joins their sections;
 * adding a measurement is adding a scenario.
 */
public interface Scenario {
  /** The section's title. */
  String title();

  /** Runs the scenario's measurements (may do nothing, if it cannot run yet). */
  void run(BenchSettings settings, BenchLog log) throws Exception;

  /** The section's Markdown body, after {@link #run}. */
  String markdown();
}
