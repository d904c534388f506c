package io.coinbeam.transforms.aggregate;

import io.coinbeam.model.Timestamped;
import io.coinbeam.transforms.MeasureSchemas;
import io.coinbeam.transforms.StreamSpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.apache.beam.sdk.coders.CannotProvideCoderException;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.transforms.Combine.CombineFn;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.beam.sdk.values.Row;

/**
 * Drives a stream's real CombineFn ({@code spec.summarize(measureSchema)}) the way a runner does:
 * inputs cut into bundles, one accumulator per bundle, every accumulator shipped through the
 * accumulator coder, and the accumulators merged in a given order.
 */
final class Combining {
  private Combining() {}

  /** All inputs in one bundle, in the given order. */
  static <T extends Record & Timestamped> Row summarize(StreamSpec<T> spec, List<T> inputs) {
    return summarizeBundles(spec, List.of(inputs));
  }

  /** One accumulator per bundle, merged in list order. */
  static <T extends Record & Timestamped> Row summarizeBundles(
      StreamSpec<T> spec, List<List<T>> bundles) {
    return run(spec.summarize(MeasureSchemas.of(spec)), spec.coder(), bundles);
  }

  /** The inputs shuffled, cut into 1..n bundles at random, merged in a random order. */
  static <T extends Record & Timestamped> Row summarizeRandomly(
      StreamSpec<T> spec, List<T> inputs, Random random) {
    List<T> shuffled = new ArrayList<>(inputs);
    Collections.shuffle(shuffled, random);
    int parts = 1 + random.nextInt(Math.max(1, Math.min(8, inputs.size())));
    List<List<T>> bundles = new ArrayList<>();
    for (int i = 0; i < parts; i++) {
      bundles.add(new ArrayList<>());
    }
    for (T input : shuffled) {
      bundles.get(random.nextInt(parts)).add(input);
    }
    Collections.shuffle(bundles, random);
    return summarizeBundles(spec, bundles);
  }

  private static <T, A> Row run(
      CombineFn<T, A, Row> fn, Coder<T> inputCoder, List<List<T>> bundles) {
    try {
      Coder<A> accumulatorCoder = fn.getAccumulatorCoder(CoderRegistry.createDefault(), inputCoder);
      List<A> accumulators = new ArrayList<>();
      for (List<T> bundle : bundles) {
        A accumulator = fn.createAccumulator();
        for (T input : bundle) {
          accumulator = fn.addInput(accumulator, CoderUtils.clone(inputCoder, input));
        }
        accumulators.add(CoderUtils.clone(accumulatorCoder, accumulator));
      }
      A merged = fn.mergeAccumulators(accumulators);
      return fn.extractOutput(CoderUtils.clone(accumulatorCoder, merged));
    } catch (CannotProvideCoderException | CoderException e) {
      throw new AssertionError(e);
    }
  }

  /** Every ordering of {@code items} (n! lists; keep n small). */
  static <T> List<List<T>> permutations(List<T> items) {
    if (items.size() <= 1) {
      return List.of(List.copyOf(items));
    }
    List<List<T>> out = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      List<T> rest = new ArrayList<>(items);
      T head = rest.remove(i);
      for (List<T> tail : permutations(rest)) {
        List<T> perm = new ArrayList<>();
        perm.add(head);
        perm.addAll(tail);
        out.add(perm);
      }
    }
    return out;
  }
}
