package io.coinbeam.transforms;

import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.CannotProvideCoderException;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.Combine.CombineFn;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.Row;

/**
 * A stream's summary that also counts its inputs, and gives no row at all for a window pane that
 * holds none: zero or one summary, as a list.
 *
 * <p>The summaries themselves (candles, price series) have no meaning for zero inputs. Flink's
 * state backend hands the combine an empty accumulator when a window's timer fires after its state
 * was cleared (a stale early-firing timer after the window closed); such a pane carries no data, so
 * it is dropped here instead of failing the summary.
 */
final class NonEmptySummary<T, A> extends CombineFn<T, KV<Long, A>, List<Row>> {
  private static final long serialVersionUID = 1L;
  private final CombineFn<T, A, Row> summary;

  @SuppressWarnings("unchecked")
  NonEmptySummary(CombineFn<T, ?, Row> summary) {
    this.summary = (CombineFn<T, A, Row>) summary;
  }

  @Override
  public KV<Long, A> createAccumulator() {
    return KV.of(0L, summary.createAccumulator());
  }

  @Override
  public KV<Long, A> addInput(KV<Long, A> accumulator, T input) {
    return KV.of(accumulator.getKey() + 1, summary.addInput(accumulator.getValue(), input));
  }

  @Override
  public KV<Long, A> mergeAccumulators(Iterable<KV<Long, A>> accumulators) {
    long count = 0;
    List<A> inner = new ArrayList<>();
    for (KV<Long, A> accumulator : accumulators) {
      count += accumulator.getKey();
      inner.add(accumulator.getValue());
    }
    return KV.of(count, summary.mergeAccumulators(inner));
  }

  @Override
  public List<Row> extractOutput(KV<Long, A> accumulator) {
    return accumulator.getKey() == 0
        ? List.of()
        : List.of(summary.extractOutput(accumulator.getValue()));
  }

  @Override
  public Coder<KV<Long, A>> getAccumulatorCoder(CoderRegistry registry, Coder<T> inputCoder)
      throws CannotProvideCoderException {
    return KvCoder.of(VarLongCoder.of(), summary.getAccumulatorCoder(registry, inputCoder));
  }
}
