package io.coinbeam.report;

import io.coinbeam.catalog.CoinCapStream;
import io.coinbeam.rows.DeadLetters;
import io.coinbeam.schema.Column;
import io.coinbeam.schema.TableDefinition;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes {@code <output>/report.html}, the page a person opens after {@code make run}: charts of
 * the top pairs and asset prices, and a section per table, all read back from the Parquet files
 * under the output root. The pipeline calls it after a batch run; {@link #main} writes it again
 * from the files alone ({@code make report}).
 */
public final class ReportWriter {
  public static final String FILE_NAME = "report.html";

  /** Candlestick charts for this many pairs unless told otherwise. */
  public static final int DEFAULT_TOP_PAIRS = 4;

  private ReportWriter() {}

  /**
   * Reads the tables under {@code outputRoot} and writes the report there. A missing or empty table
   * becomes a section that says "no rows". {@code counts} may be null (no run to describe).
   *
   * @return the report's path
   */
  public static Path write(Path outputRoot, RunCounts counts, int topPairs) throws IOException {
    Map<String, StoredTable> tables = new LinkedHashMap<>();
    for (TableView view : TableView.ALL) {
      tables.put(
          view.table(),
          StoredTable.read(outputRoot, view.definition(), ReportPage.columnsRead(view)));
    }
    TableDefinition deadLetters = DeadLetters.table();
    tables.put(
        deadLetters.name(),
        StoredTable.read(
            outputRoot, deadLetters, deadLetters.columns().stream().map(Column::name).toList()));
    String html = new ReportPage(tables, counts, outputRoot.toString(), topPairs).render();
    Files.createDirectories(outputRoot);
    Path report = outputRoot.resolve(FILE_NAME);
    // Written beside and moved into place, so a reader never sees half a report.
    Path partial = outputRoot.resolve(FILE_NAME + ".partial");
    Files.writeString(partial, html, StandardCharsets.UTF_8);
    Files.move(partial, report, StandardCopyOption.REPLACE_EXISTING);
    return report;
  }

  /**
   * The pipeline's last step after a successful batch run into Parquet: writes the report and
   * prints {@code Report: <output>/report.html}. A report that cannot be written is a warning on
   * {@code err}, never a failed run: the tables are what the run is for.
   */
  public static void afterBatchRun(
      String output,
      List<CoinCapStream> streams,
      Map<String, Long> counters,
      PrintStream out,
      PrintStream err) {
    if (output.contains("://")) {
      err.println(
          "coinbeam: no report: "
              + output
              + " is not a local folder (make report OUTPUT=<local copy> writes one)");
      return;
    }
    try {
      Path report = write(Path.of(output), RunCounts.from(streams, counters), DEFAULT_TOP_PAIRS);
      out.println("Report: " + report);
    } catch (IOException | RuntimeException | LinkageError e) {
      // LinkageError too: a JVM without AWT's native parts cannot draw charts, and says so here.
      err.println("coinbeam: warning: the report could not be written: " + e);
    }
  }

  /** {@code --output=out [--top=4]}: writes the report from the files alone. */
  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    String output = "out";
    int top = DEFAULT_TOP_PAIRS;
    for (String arg : args) {
      if (arg.startsWith("--output=")) {
        output = arg.substring("--output=".length());
      } else if (arg.startsWith("--top=")) {
        try {
          top = Integer.parseInt(arg.substring("--top=".length()));
        } catch (NumberFormatException e) {
          top = -1;
        }
        if (top < 0) {
          err.println("coinbeam: --top must be a whole number of pairs, 0 or more: " + arg);
          return 2;
        }
      } else if (arg.equals("--help") || arg.equals("-h")) {
        out.println(
            "Writes <output>/report.html from the Parquet tables a run left in <output>.\n"
                + "  --output=DIR  the run's output root (default out)\n"
                + "  --top=N       candlestick charts for the N pairs with most volume (default "
                + DEFAULT_TOP_PAIRS
                + ")");
        return 0;
      } else {
        err.println("coinbeam: unknown flag " + arg + " (--output=DIR, --top=N, --help)");
        return 2;
      }
    }
    Path root = Path.of(output);
    if (!Files.isDirectory(root)) {
      err.println(
          "coinbeam: no folder " + output + ": run the pipeline first (make run), or --output=");
      return 2;
    }
    try {
      Path report = write(root, null, top);
      out.println("Report: " + report);
      return 0;
    } catch (IOException | RuntimeException e) {
      err.println("coinbeam: the report could not be written: " + e);
      return 1;
    }
  }
}
