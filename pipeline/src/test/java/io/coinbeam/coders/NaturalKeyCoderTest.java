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
  private static final NaturalKey BINANCE = NaturalKey.of(List.of("binance", "bitcoin", "tether"));

  @Test
  void keysRoundTrip() throws Exception {
    for (List<String> parts :
        List.of(
            List.of("binance", "bitcoin", "tether"),
            List.of("bitcoin"),
            List.<String>of(),
            List.of("", "ünïcödé", "日本"))) {
      NaturalKey key = NaturalKey.of(parts);
      CoderProperties.coderDecodeEncodeEqual(NaturalKeyCoder.of(), key);
      CoderProperties.coderDeterministic(NaturalKeyCoder.of(), key, NaturalKey.of(parts));
      NaturalKey back = CoderUtils.clone(NaturalKeyCoder.of(), key);
      assertEquals(parts.size(), back.size());
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
    int expectedHash =
        31 * (31 * (31 + "binance".hashCode()) + "bitcoin".hashCode()) + "tether".hashCode();
    assertEquals(expectedHash, ByteBuffer.wrap(bytes, 0, 4).getInt());
    assertEquals(3, bytes[4]); // the number of parts
    assertEquals(4 + 1 + (1 + 7) + (1 + 7) + (1 + 6), bytes.length);
  }

  @Test
  void keysOfOneExchangeDifferInTheirFirstBytes() throws Exception {
    byte[] a = CoderUtils.encodeToByteArray(NaturalKeyCoder.of(), BINANCE);
    byte[] b =
        CoderUtils.encodeToByteArray(
            NaturalKeyCoder.of(), NaturalKey.of(List.of("binance", "ethereum", "tether")));
    assertNotEquals(Arrays.toString(Arrays.copyOf(a, 4)), Arrays.toString(Arrays.copyOf(b, 4)));
  }

  @Test
  void partsDoNotRunTogether() {
    assertNotEquals(NaturalKey.of(List.of("ab", "c")), NaturalKey.of(List.of("a", "bc")));
    assertEquals(NaturalKey.of(List.of("a", "b")), NaturalKey.of(List.of("a", "b")));
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
    assertThrows(NullPointerException.class, () -> NaturalKey.of(Arrays.asList("binance", null)));
  }

  @Test
  void truncatedBytesAreRefused() throws Exception {
    byte[] bytes = CoderUtils.encodeToByteArray(NaturalKeyCoder.of(), BINANCE);
    byte[] cut = Arrays.copyOf(bytes, bytes.length - 2);
    assertThrows(
        CoderException.class, () -> CoderUtils.decodeFromByteArray(NaturalKeyCoder.of(), cut));
  }

  @Test
  void encodedStructureMatchesTheParts() throws Exception {
    byte[] bytes = CoderUtils.encodeToByteArray(NaturalKeyCoder.of(), BINANCE);
    assertArrayEquals(
        "tether".getBytes(java.nio.charset.StandardCharsets.UTF_8),
        Arrays.copyOfRange(bytes, bytes.length - 6, bytes.length));
  }
}
