package io.coinbeam.model;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A row's natural id (exchange, base, quote for trades; the id columns of a snapshot table) and the
 * start of the window it is summarised in: the key every stream groups by. The window start is
 * redundant for runners that group by window anyway, but runners that group by sorting encoded keys
 * (Flink's batch combine and shuffle) sort by the key alone, and with only the id the few distinct
 * ids make nearly every comparison a tie that must be decided by reading both keys in full.
 *
 * <p>It carries its hash so that {@link io.coinbeam.coders.NaturalKeyCoder} can write it first,
 * where Flink's sort looks: a list of strings starts with the same count and exchange name for most
 * keys.
 */
public final class NaturalKey {
  private final String[] parts;
  private final long windowStartMillis;
  private final int hash;

  private NaturalKey(String[] parts, long windowStartMillis) {
    this.parts = parts;
    this.windowStartMillis = windowStartMillis;
    // Arrays.hashCode over String.hashCode and Long.hashCode: specified by the JDK, so the same
    // in every JVM.
    this.hash = 31 * Arrays.hashCode(parts) + Long.hashCode(windowStartMillis);
  }

  /**
   * The key of these parts, in the order of the table's key columns, in the window starting then.
   */
  public static NaturalKey of(List<String> parts, long windowStartMillis) {
    String[] copy = parts.toArray(new String[0]);
    for (int i = 0; i < copy.length; i++) {
      Objects.requireNonNull(copy[i], "natural key part " + i);
    }
    return new NaturalKey(copy, windowStartMillis);
  }

  public int size() {
    return parts.length;
  }

  public String get(int index) {
    return parts[index];
  }

  public long windowStartMillis() {
    return windowStartMillis;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof NaturalKey that
        && that.hash == hash
        && that.windowStartMillis == windowStartMillis
        && Arrays.equals(that.parts, parts);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public String toString() {
    return String.join("/", parts) + "@" + windowStartMillis;
  }
}
