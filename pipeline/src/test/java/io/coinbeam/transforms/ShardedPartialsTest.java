package io.coinbeam.transforms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coinbeam.model.NaturalKey;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.beam.sdk.values.KV;
import org.junit.jupiter.api.Test;

/** Partial summaries travel as a shard and bytes; the merge must get back exactly what was sent. */
class ShardedPartialsTest {
  private final ShardedPartials<KV<Long, String>> partials =
      new ShardedPartials<>(KvCoder.of(VarLongCoder.of(), StringUtf8Coder.of()));

  @Test
  void aPartialComesBackAsItWentOutInAShardOfItsKey() throws Exception {
    NaturalKey key = NaturalKey.of(List.of("binance", "bitcoin", "tether"), 1_715_083_200_000L);
    KV<Integer, byte[]> sent = partials.encode(key, KV.of(42L, "état"));
    assertEquals(ShardedPartials.shardOf(key), sent.getKey());
    KV<NaturalKey, KV<Long, String>> back = partials.decode(sent.getValue());
    assertEquals(key, back.getKey());
    assertEquals(KV.of(42L, "état"), back.getValue());
    // The bytes survive the runner's own coder, and a second encoding does not touch the first.
    byte[] copy = CoderUtils.clone(ShardedPartials.coder(), sent).getValue();
    assertArrayEquals(sent.getValue(), copy);
    KV<Integer, byte[]> other =
        partials.encode(NaturalKey.of(List.of("kraken"), 0L), KV.of(1L, "x"));
    assertNotSame(sent.getValue(), other.getValue());
    assertEquals(key, partials.decode(sent.getValue()).getKey());
  }

  @Test
  void keysSpreadEvenlyOverTheShardsAndAKeyAlwaysLandsInTheSameOne() {
    // 400 pairs over 100 one-minute windows of a real day: window starts are multiples of 60,000
    // ms, whose low bits the plain hash modulo 32 kept (22 shards of 32 got keys, unevenly).
    int[] perShard = new int[ShardedPartials.SHARDS];
    long day = 1_715_083_200_000L;
    for (int pair = 0; pair < 400; pair++) {
      for (int minute = 0; minute < 100; minute++) {
        NaturalKey key =
            NaturalKey.of(List.of("binance", "asset-" + pair, "tether"), day + minute * 60_000L);
        int shard = partials.encode(key, KV.of(1L, "")).getKey();
        assertTrue(shard >= 0 && shard < ShardedPartials.SHARDS, "shard " + shard);
        assertEquals(shard, (int) partials.encode(key, KV.of(9L, "other")).getKey());
        perShard[shard]++;
      }
    }
    int mean = 40_000 / ShardedPartials.SHARDS;
    for (int shard = 0; shard < perShard.length; shard++) {
      // 1,250 keys a shard on average; a fair spread stays within a few standard deviations (35).
      assertTrue(
          Math.abs(perShard[shard] - mean) < 200,
          "shard " + shard + " holds " + perShard[shard] + " keys of 40,000");
    }
  }

  @Test
  void bytesThatAreNoPartialAreRefusedWithAClearError() {
    UncheckedIOException e =
        assertThrows(UncheckedIOException.class, () -> partials.decode(new byte[] {1, 2, 3}));
    assertTrue(e.getMessage().contains("cannot decode a partial summary"), e.getMessage());
  }
}
