package io.coinbeam.options;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The sinks a run can write to, by the names used in {@code --sinks} and {@code SINKS=}. */
public enum Sink {
  PARQUET,
  BIGQUERY,
  POSTGRES;

  /** "Parquet", "BigQuery": for step names such as WriteTradeCandlesToBigQuery. */
  public String title() {
    return switch (this) {
      case PARQUET -> "Parquet";
      case BIGQUERY -> "BigQuery";
      case POSTGRES -> "Postgres";
    };
  }

  /**
   * Whether the sink can refuse rows while the run goes on (BigQuery refuses rows its schema does
   * not take): those become dead letters in a part of their own, named after the sink.
   */
  public boolean refusesRows() {
    return this == BIGQUERY;
  }

  public static List<Sink> parseList(String names) {
    List<Sink> sinks = new ArrayList<>();
    for (String name : names.split(",")) {
      String wanted = name.trim().toLowerCase(Locale.ROOT);
      if (wanted.isEmpty()) {
        continue;
      }
      Sink sink;
      try {
        sink = valueOf(wanted.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "unknown sink \""
                + wanted
                + "\" in --sinks; this build writes: parquet, bigquery, postgres");
      }
      if (!sinks.contains(sink)) {
        sinks.add(sink);
      }
    }
    if (sinks.isEmpty()) {
      throw new IllegalArgumentException("--sinks is empty; name at least one sink, e.g. parquet");
    }
    return sinks;
  }
}
