package io.coinbeam.sample;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The five CoinCap streams the generator can write, in the order it writes them. The generator has
 * its own list (rather than the pipeline's {@code CoinCapStream}) so that making data never loads
 * Beam classes; the names are the same ones users type and the folders are named after.
 */
public enum SampleStream {
  TRADES,
  ASSETS,
  RATES,
  EXCHANGES,
  MARKETS;

  /** The lower-case name: the folder under the output directory and the manifest key. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** True for the REST snapshot streams, whose files hold envelopes. */
  public boolean isSnapshot() {
    return this != TRADES;
  }

  /** The stream called {@code id}, case-insensitively. */
  public static SampleStream of(String id) {
    for (SampleStream stream : values()) {
      if (stream.id().equalsIgnoreCase(id.trim())) {
        return stream;
      }
    }
    throw new IllegalArgumentException(
        "unknown stream \""
            + id.trim()
            + "\"; choose from trades, assets, rates, exchanges, markets");
  }

  /**
   * Parses "trades,assets" or "all" into streams in enum order, without repeats: the order files
   * are written in never depends on how the user typed the list.
   */
  public static List<SampleStream> parseList(String names) {
    if (names == null || names.isBlank() || names.trim().equalsIgnoreCase("all")) {
      return List.of(values());
    }
    boolean[] wanted = new boolean[values().length];
    for (String name : names.split(",")) {
      if (!name.isBlank()) {
        wanted[of(name).ordinal()] = true;
      }
    }
    List<SampleStream> streams = new ArrayList<>();
    for (SampleStream stream : values()) {
      if (wanted[stream.ordinal()]) {
        streams.add(stream);
      }
    }
    if (streams.isEmpty()) {
      throw new IllegalArgumentException("no streams named in \"" + names + "\"");
    }
    return List.copyOf(streams);
  }
}
