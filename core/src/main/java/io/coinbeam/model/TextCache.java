package io.coinbeam.model;

/**
 * Short texts that repeat record after record (exchange and asset ids, a trade's direction) as one
 * {@code String} each, looked up by their characters: a parser then allocates no new string for a
 * name it has seen, and the keys built from them compare by identity and hash from a cached value.
 * A sparse capture (hundreds of pairs, a few trades a candle) spent a tenth of its parse comparing
 * equal keys character by character and hashing fresh strings.
 *
 * <p>Bounded: a fixed table of slots, a newcomer replacing whatever held its slot, so memory stays
 * the same whatever the input. Not synchronised, and need not be: a slot holds a whole immutable
 * string, and a hit is checked character by character, so a race can only cost a miss.
 */
public final class TextCache {
  private static final int SLOTS = 4096; // a power of two
  private static final int LONGEST = 64; // longer texts are rare and not worth a slot

  /** Holds nothing: every text a new string (for one-off parses). */
  public static final TextCache NONE = new TextCache(0);

  private final String[] slots;

  public TextCache() {
    this(SLOTS);
  }

  private TextCache(int slots) {
    this.slots = new String[slots];
  }

  /** The text of {@code chars[offset, offset + length)}, the same instance as last time if held. */
  public String of(char[] chars, int offset, int length) {
    if (length > LONGEST || slots.length == 0) {
      return new String(chars, offset, length);
    }
    int hash = 0;
    for (int i = offset; i < offset + length; i++) {
      hash = 31 * hash + chars[i];
    }
    int slot = (hash ^ (hash >>> 16)) & (SLOTS - 1);
    String held = slots[slot];
    if (held != null && matches(held, chars, offset, length)) {
      return held;
    }
    String text = new String(chars, offset, length);
    slots[slot] = text;
    return text;
  }

  private static boolean matches(String held, char[] chars, int offset, int length) {
    if (held.length() != length) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      if (held.charAt(i) != chars[offset + i]) {
        return false;
      }
    }
    return true;
  }
}
