package io.coinbeam.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Repeated names come back as one instance; a cache never hands back the wrong text. */
class TextCacheTest {

  private static String of(TextCache cache, String text) {
    char[] padded = ("[[" + text + "]]").toCharArray();
    return cache.of(padded, 2, text.length());
  }

  @Test
  void aTextSeenBeforeIsTheSameInstance() {
    TextCache cache = new TextCache();
    String first = of(cache, "bitcoin");
    assertEquals("bitcoin", first);
    assertSame(first, of(cache, "bitcoin"));
    assertEquals("", of(cache, ""));
  }

  @Test
  void manyTextsSharingSlotsAreEachReturnedExactly() {
    // 50,000 names in 4,096 slots: most share a slot, some many times; each lookup must give its
    // own text, and a name looked up twice in a row the same instance.
    TextCache cache = new TextCache();
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < 50_000; i++) {
      String name = "asset-" + Integer.toString(i * 7919 % 50_021, 36);
      String got = of(cache, name);
      assertEquals(name, got);
      assertSame(got, of(cache, name));
      seen.merge(got, 1, Integer::sum);
    }
    assertEquals(50_000, seen.size());
  }

  @Test
  void longTextsAndTheEmptyCacheMakeNewStrings() {
    TextCache cache = new TextCache();
    String long1 = "x".repeat(65);
    assertEquals(long1, of(cache, long1));
    assertNotSame(of(cache, long1), of(cache, long1));
    assertEquals("tether", of(TextCache.NONE, "tether"));
    assertNotSame(of(TextCache.NONE, "tether"), of(TextCache.NONE, "tether"));
  }
}
