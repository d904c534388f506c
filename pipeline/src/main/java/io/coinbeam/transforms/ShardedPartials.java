package io.coinbeam.transforms;

import io.coinbeam.coders.NaturalKeyCoder;
import io.coinbeam.model.NaturalKey;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.values.KV;

/**
 * Batch: partial summaries as the shuffle carries them, a shard number with the key and the
 * accumulator encoded once, by the step that made them, and decoded once, by the merge ({@link
 * MergeBundleSummaries}).
 *
 * <p>Why bytes: a runner encodes whatever crosses a boundary between its tasks. On Flink the fused
 * read-parse-summarise step's two outputs (partials and dead letters) travel together to two
 * consumers, and the partials were then re-keyed by shard and shuffled: each partial was encoded
 * twice and decoded three times. With one partial per candle (a sparse capture has about five
 * trades a candle) that was a fifth of the run. As bytes, every later crossing is a copy.
 */
final class ShardedPartials<A> implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Groups the keys are spread over: enough for a few cores, few enough for the Direct runner. */
  static final int SHARDS = 32;

  private final Coder<A> accumulatorCoder;
  private transient ByteArrayOutputStream buffer;

  ShardedPartials(Coder<A> accumulatorCoder) {
    this.accumulatorCoder = accumulatorCoder;
  }

  /** The coder of what {@link #encode} makes. */
  static KvCoder<Integer, byte[]> coder() {
    return KvCoder.of(VarIntCoder.of(), ByteArrayCoder.of());
  }

  /** {@code key}'s partial summary, in its shard (a function of the key alone). */
  KV<Integer, byte[]> encode(NaturalKey key, A accumulator) {
    if (buffer == null) {
      buffer = new ByteArrayOutputStream(256);
    }
    buffer.reset();
    try {
      NaturalKeyCoder.of().encode(key, buffer);
      accumulatorCoder.encode(accumulator, buffer);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode the partial summary of " + key, e);
    }
    return KV.of(shardOf(key), buffer.toByteArray());
  }

  /**
   * The key's hash, mixed, in the range of shards. Mixed because the hash's low bits are poor:
   * window starts are multiples of 60,000 ms (2^5 x 1875), so the plain hash modulo 32 left a third
   * of the shards empty and made the rest uneven.
   */
  static int shardOf(NaturalKey key) {
    int h = key.hashCode();
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    h *= 0xc2b2ae35;
    h ^= h >>> 16;
    return Math.floorMod(h, SHARDS);
  }

  /** The key and a fresh accumulator back from {@link #encode}'s bytes. */
  KV<NaturalKey, A> decode(byte[] encoded) {
    ByteArrayInputStream in = new ByteArrayInputStream(encoded);
    try {
      NaturalKey key = NaturalKeyCoder.of().decode(in);
      return KV.of(key, accumulatorCoder.decode(in));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot decode a partial summary", e);
    }
  }
}
