package io.coinbeam.transforms;

import java.util.List;
import org.apache.beam.sdk.coders.CannotProvideCoderException;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.transforms.Combine.CombineFn;

/**
 * A summary whose inputs are its own partial accumulators ({@link SummarizeEachBundleInWindows}):
 * adding one merges it. The result is that of the rows the partials hold, since the summaries'
 * merges are exact and order-free.
 */
final class MergePartialSummaries<A, OutputT> extends CombineFn<A, A, OutputT> {
  private static final long serialVersionUID = 1L;
  private final CombineFn<?, A, OutputT> summary;

  MergePartialSummaries(CombineFn<?, A, OutputT> summary) {
    this.summary = summary;
  }

  @Override
  public A createAccumulator() {
    return summary.createAccumulator();
  }

  @Override
  public A addInput(A accumulator, A partial) {
    return summary.mergeAccumulators(List.of(accumulator, partial));
  }

  @Override
  public A mergeAccumulators(Iterable<A> accumulators) {
    return summary.mergeAccumulators(accumulators);
  }

  @Override
  public OutputT extractOutput(A accumulator) {
    return summary.extractOutput(accumulator);
  }

  @Override
  public Coder<A> getAccumulatorCoder(CoderRegistry registry, Coder<A> inputCoder)
      throws CannotProvideCoderException {
    return inputCoder;
  }
}
