package io.coinbeam.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Row-by-row comparison of two {@code trade_candles} outputs, for when their checksums differ. A
 * double summed in another order can sit on the other side of a rounding boundary at the 10th digit
 * (about one value in a million), which changes the checksum without being a difference. This tells
 * that case apart from a real one: rows are matched by key, text, whole numbers and timestamps must
 * be equal, and doubles must agree within {@link #RELATIVE_TOLERANCE}.
 */
public final class OutputComparison {
  /** Doubles agree when {@code |a - b| <= 1e-9 * max(|a|, |b|)}: the checksum's 10 digits. */
  public static final double RELATIVE_TOLERANCE = 1e-9;

  private OutputComparison() {}

  /**
   * The verdict.
   *
   * @param same true when every row has its twin within the tolerance
   * @param roundedValues doubles that differ at all (within the tolerance when {@code same})
   * @param differences a few human-readable differences, empty when {@code same}
   */
  public record Result(boolean same, long roundedValues, List<String> differences) {}

  /** Compares {@code actual} with {@code expected}; both as {@link OutputChecksum#readRows}. */
  public static Result compare(
      List<Map<String, Object>> expected, List<Map<String, Object>> actual) {
    List<String> differences = new ArrayList<>();
    if (expected.size() != actual.size()) {
      differences.add(
          String.format(
              Locale.ROOT,
              "%,d rows instead of %,d",
              (long) actual.size(),
              (long) expected.size()));
    }
    Map<String, Map<String, Object>> byKey = new HashMap<>();
    for (Map<String, Object> row : expected) {
      byKey.put(key(row), row);
    }
    long rounded = 0;
    long problems = 0;
    for (Map<String, Object> row : actual) {
      String key = key(row);
      Map<String, Object> twin = byKey.remove(key);
      if (twin == null) {
        problems++;
        note(differences, "unexpected row " + key);
        continue;
      }
      for (String column : OutputChecksum.VALUE_COLUMNS) {
        Object want = twin.get(column);
        Object got = row.get(column);
        if (want instanceof Double a && got instanceof Double b) {
          if (a.doubleValue() != b.doubleValue()) {
            rounded++;
            if (!close(a, b)) {
              problems++;
              note(differences, key + " " + column + ": " + b + " instead of " + a);
            }
          }
        } else if (!String.valueOf(want).equals(String.valueOf(got))) {
          problems++;
          note(differences, key + " " + column + ": " + got + " instead of " + want);
        }
      }
    }
    for (String missing : byKey.keySet()) {
      problems++;
      note(differences, "missing row " + missing);
    }
    return new Result(problems == 0 && differences.isEmpty(), rounded, List.copyOf(differences));
  }

  static boolean close(double a, double b) {
    return Math.abs(a - b) <= RELATIVE_TOLERANCE * Math.max(Math.abs(a), Math.abs(b));
  }

  private static String key(Map<String, Object> row) {
    StringBuilder key = new StringBuilder();
    for (String column : OutputChecksum.KEY_COLUMNS) {
      key.append(column.equals("exchange") ? "" : "/").append(row.get(column));
    }
    return key.toString();
  }

  private static void note(List<String> differences, String difference) {
    if (differences.size() < 5) {
      differences.add(difference);
    }
  }
}
