package io.coinbeam.coders;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.coinbeam.model.NaturalKey;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.testing.CoderProperties;
import org.apache.beam.sdk.util.CoderUtils;
import org.junit.jupiter.api.Test;

/** NaturalKeyCoder: exact round trips, deterministic bytes, the hash first, corruption refused. */
class NaturalKeyCoderTest {
  private static final NaturalKey BINANCE =
      NaturalKey.of(List.of("binance", "bitcoin", "tether"), 1_715_076_000_000L);

  @Test
  void keysRoundTrip() throws Exception {
    for (List<String> parts :
        List.of(
            List.of("binance", "bitcoin", "tether"),
            List.of("bitcoin"),
            List.<String>of(),
            List.of("", "ünïcödé", "日本"))) {
      NaturalKey key = NaturalKey.of(parts, 1_715_076_060_000L);
      CoderProperties.coderDecodeEncodeEqual(NaturalKeyCoder.of(), key);
      CoderProperties.coderDeterministic(
          NaturalKeyCoder.of(), key, NaturalKey.of(parts, 1_715_076_060_000L));
      NaturalKey back = CoderUtils.clone(NaturalKeyCoder.of(), key);
      assertEquals(parts.size(), back.size());
      assertEquals(1_715_076_060_000L, back.windowStartMillis());
      for (int i = 0; i < parts.size(); i++) {
        assertEquals(parts.get(i), back.get(i));
      }
    }
    NaturalKeyCoder.of().verifyDeterministic();
  }

  @Test
  void theBytesStartWithTheHashOfTheParts() throws Exception {
    byte[] bytes = CoderUtils.encodeToByteArray(NaturalKeyCoder.of(), BINANCE);
    // String.hashCode is fixed by the JDK, so this is the same value in every JVM and run.
    int partsHash =
        31 * (31 * (31 + "binance".hashCode()) + "bitcoin".hashCode()) + "tether".hashCode();
    int expectedHash = 31 * partsHash + Long.hashCode(1_715_076_000_000L);
    assertEquals(expectedHash, ByteBuffer.wrap(bytes, 0, 4).getInt());
    assertEquals(3, bytes[4]); // the number of parts
    // hash, count, three length-prefixed parts, the window start as a varint (41 bits: 6 bytes)
    assertEquals(4 + 1 + (1 + 7) + (1 + 7) + (1 + 6) + 6, bytes.length);
  }

  @Test
  void keysOfOneExchangeDifferInTheirFirstBytes() throws Exception {
    byte[] a = CoderUtils.encodeToByteArray(NaturalKeyCoder.of(), BINANCE);
    byte[] b =
        CoderUtils.encodeToByteArray(
            NaturalKeyCoder.of(),
            NaturalKey.of(List.of("binance", "ethereum", "tether"), 1_715_076_000_000L));
    byte[] c =
        CoderUtils.encodeToByteArray(
            NaturalKeyCoder.of(),
            NaturalKey.of(List.of("binance", "bitcoin", "tether"), 1_715_076_060_000L));
    assertNotEquals(
        Arrays.toString(Arrays.copyOf(a, 4)), Arrays.toString(Arrays.copyOf(b, 4)), "other pair");
    assertNotEquals(
        Arrays.toString(Arrays.copyOf(a, 4)), Arrays.toString(Arrays.copyOf(c, 4)), "next minute");
  }

  @Test
  void partsDoNotRunTogether() {
    assertNotEquals(NaturalKey.of(List.of("ab", "c"), 0), NaturalKey.of(List.of("a", "bc"), 0));
    assertNotEquals(NaturalKey.of(List.of("a", "b"), 0), NaturalKey.of(List.of("a", "b"), 60_000));
    assertEquals(
        NaturalKey.of(List.of("a", "b"), 60_000), NaturalKey.of(List.of("a", "b"), 60_000));
  }

  @Test
  void aWrongHashIsRefused() throws Exception {
    byte[] bytes = CoderUtils.encodeToByteArray(NaturalKeyCoder.of(), BINANCE);
    bytes[0] ^= 1;
    assertThrows(
        CoderException.class, () -> CoderUtils.decodeFromByteArray(NaturalKeyCoder.of(), bytes));
  }

  @Test
  void nullPartsAreRefusedWhenTheKeyIsMade() {
    assertThrows(
        NullPointerException.class, () -> NaturalKey.of(Arrays.asList("binance", null), 0));
  }

  @Test
  void truncatedBytesAreRefused() throws Exception {
    byte[] bytes = CoderUtils.encodeToByteArray(NaturalKeyCoder.of(), BINANCE);
    byte[] cut = Arrays.copyOf(bytes, bytes.length - 2);
    assertThrows(
        java.io.IOException.class,
        () -> NaturalKeyCoder.of().decode(new java.io.ByteArrayInputStream(cut)));
  }

  @Test
  void encodedStructureMatchesTheParts() throws Exception {
    byte[] bytes = CoderUtils.encodeToByteArray(NaturalKeyCoder.of(), BINANCE);
    assertArrayEquals(
        "tether".getBytes(java.nio.charset.StandardCharsets.UTF_8),
        Arrays.copyOfRange(bytes, bytes.length - 12, bytes.length - 6));
  }
}
