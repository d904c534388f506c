package io.coinbeam.model;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A row's natural id (exchange, base, quote for trades; the id columns of a snapshot table), the
 * key every stream groups by. It carries its hash so that {@link
 * io.coinbeam.coders.NaturalKeyCoder} can write it first: runners that group by sorting encoded
 * keys (Flink's batch shuffle) then tell almost all keys apart by their first bytes, where a list
 * of strings starts with the same count and the same exchange name for most keys.
 */
public final class NaturalKey {
  private final String[] parts;
  private final int hash;

  private NaturalKey(String[] parts) {
    this.parts = parts;
    // Arrays.hashCode over String.hashCode: specified by the JDK, so the same in every JVM.
    this.hash = Arrays.hashCode(parts);
  }

  /** The key of these parts, in the order of the table's key columns. */
  public static NaturalKey of(List<String> parts) {
    String[] copy = parts.toArray(new String[0]);
    for (int i = 0; i < copy.length; i++) {
      Objects.requireNonNull(copy[i], "natural key part " + i);
    }
    return new NaturalKey(copy);
  }

  public int size() {
    return parts.length;
  }

  public String get(int index) {
    return parts[index];
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof NaturalKey that
        && that.hash == hash
        && Arrays.equals(that.parts, parts);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public String toString() {
    return String.join("/", parts);
  }
}
