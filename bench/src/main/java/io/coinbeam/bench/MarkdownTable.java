package io.coinbeam.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A GitHub-flavoured Markdown table, padded so that docs/BENCHMARKS.md also reads well as plain
 * text; number columns can be right-aligned.
 */
public final class MarkdownTable {
  private final List<String> headers;
  private final boolean[] rightAligned;
  private final List<List<String>> rows = new ArrayList<>();

  /** A table with these headers; every column left-aligned until {@link #alignRight} says. */
  public MarkdownTable(String... headers) {
    this.headers = List.of(headers);
    this.rightAligned = new boolean[headers.length];
  }

  /** Right-aligns the columns at these indexes (numbers). */
  public MarkdownTable alignRight(int... columns) {
    for (int column : columns) {
      rightAligned[column] = true;
    }
    return this;
  }

  /** Adds a row; it must have one cell per header. Pipes in cells are escaped. */
  public MarkdownTable row(String... cells) {
    if (cells.length != headers.size()) {
      throw new IllegalArgumentException(
          "expected " + headers.size() + " cells, got " + Arrays.toString(cells));
    }
    List<String> escaped = new ArrayList<>();
    for (String cell : cells) {
      escaped.add(cell == null ? "" : cell.replace("|", "\\|").replace("\n", " "));
    }
    rows.add(escaped);
    return this;
  }

  public boolean isEmpty() {
    return rows.isEmpty();
  }

  /** The table, one line per row, each ending in a newline. */
  public String render() {
    int[] widths = new int[headers.size()];
    for (int c = 0; c < widths.length; c++) {
      widths[c] = Math.max(3, headers.get(c).length());
      for (List<String> row : rows) {
        widths[c] = Math.max(widths[c], row.get(c).length());
      }
    }
    StringBuilder out = new StringBuilder();
    line(out, headers, widths);
    out.append('|');
    for (int c = 0; c < widths.length; c++) {
      out.append(' ')
          .append("-".repeat(widths[c] - 1))
          .append(rightAligned[c] ? ':' : '-')
          .append(" |");
    }
    out.append('\n');
    for (List<String> row : rows) {
      line(out, row, widths);
    }
    return out.toString();
  }

  private void line(StringBuilder out, List<String> cells, int[] widths) {
    out.append('|');
    for (int c = 0; c < widths.length; c++) {
      String cell = cells.get(c);
      String pad = " ".repeat(widths[c] - cell.length());
      out.append(' ').append(rightAligned[c] ? pad + cell : cell + pad).append(" |");
    }
    out.append('\n');
  }
}
