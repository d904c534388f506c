package io.coinbeam.io.bigquery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coinbeam.io.bigquery.BigQueryCatalog.CatalogColumn;
import io.coinbeam.io.bigquery.BigQueryCatalog.CatalogException;
import io.coinbeam.io.bigquery.BigQueryCatalog.CatalogTable;
import io.coinbeam.io.bigquery.BigQueryPreflight.Report;
import io.coinbeam.schema.TableDefinition;
import io.coinbeam.testing.FakeCatalog;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryIO.Write.CreateDisposition;
import org.junit.jupiter.api.Test;

/**
 * The preflight against a fake catalog: what passes, and for each way BigQuery can differ from the
 * schema files, a message that names the table and the column and says to run make tf-apply.
 */
class BigQueryPreflightTest {
  private static final String PROJECT = "coinbeam-test";
  private static final String DATASET = "coinbeam";
  private static final String CANDLES = PROJECT + "." + DATASET + ".trade_candles";
  private static final BigQueryTarget TARGET = BigQueryTarget.of(PROJECT, DATASET, "gs://b/temp");

  private static List<TableDefinition> allTables() {
    return TableDefinition.allNames().stream().map(TableDefinition::named).toList();
  }

  private static FakeCatalog terraformed() {
    return new FakeCatalog().withAllTablesAsTerraformMakesThem(PROJECT, DATASET);
  }

  private static Report check(FakeCatalog catalog) throws CatalogException {
    return BigQueryPreflight.check(catalog, TARGET, allTables());
  }

  private static List<CatalogColumn> replaceColumn(
      List<CatalogColumn> columns, String name, CatalogColumn replacement) {
    List<CatalogColumn> out = new ArrayList<>();
    for (CatalogColumn c : columns) {
      if (!c.name().equals(name)) {
        out.add(c);
      } else if (replacement != null) {
        out.add(replacement);
      }
    }
    return out;
  }

  @Test
  void tablesAsTerraformMakesThemPass() throws Exception {
    FakeCatalog catalog = terraformed();
    Report report = check(catalog);
    assertTrue(report.ok(), report.render());
    assertEquals(List.of(), report.notes());
    assertEquals("BigQuery preflight passed for coinbeam-test.coinbeam\n", report.render());
    assertEquals(1 + TableDefinition.allNames().size(), catalog.lookups());
  }

  @Test
  void missingDatasetSaysToRunTerraform() throws Exception {
    Report report = check(new FakeCatalog());
    assertFalse(report.ok());
    assertEquals(List.of("dataset coinbeam-test.coinbeam does not exist"), report.problems());
    assertTrue(report.render().contains("make tf-apply"), report.render());
  }

  @Test
  void missingTableIsNamed() throws Exception {
    Report report = check(terraformed().without(PROJECT + "." + DATASET + ".market_stats"));
    assertEquals(
        List.of("table coinbeam-test.coinbeam.market_stats does not exist"), report.problems());
  }

  @Test
  void missingTableIsOnlyANoteWhenTheRunMayCreateIt() throws Exception {
    FakeCatalog catalog = terraformed().without(CANDLES);
    Report report =
        BigQueryPreflight.check(
            catalog, TARGET.withCreateDisposition(CreateDisposition.CREATE_IF_NEEDED), allTables());
    assertTrue(report.ok(), report.render());
    assertEquals(
        List.of(
            "table coinbeam-test.coinbeam.trade_candles does not exist yet; the run creates it"
                + " (CREATE_IF_NEEDED)"),
        report.notes());
  }

  @Test
  void columnWithAnotherTypeIsNamedWithBothTypes() throws Exception {
    Report report =
        check(
            terraformed()
                .changeColumns(
                    CANDLES,
                    cs ->
                        replaceColumn(
                            cs, "vwap", new CatalogColumn("vwap", "INTEGER", "REQUIRED"))));
    assertEquals(
        List.of(
            "table coinbeam-test.coinbeam.trade_candles: column vwap is FLOAT REQUIRED in the"
                + " pipeline but INTEGER REQUIRED in BigQuery"),
        report.problems());
  }

  @Test
  void columnWithAnotherModeIsNamed() throws Exception {
    Report report =
        check(
            terraformed()
                .changeColumns(
                    CANDLES,
                    cs ->
                        replaceColumn(
                            cs,
                            "pane_index",
                            new CatalogColumn("pane_index", "INTEGER", "REQUIRED"))));
    assertEquals(
        List.of(
            "table coinbeam-test.coinbeam.trade_candles: column pane_index is INTEGER NULLABLE in"
                + " the pipeline but INTEGER REQUIRED in BigQuery"),
        report.problems());
  }

  @Test
  void standardSqlTypeNamesMeanTheSameAsLegacyOnes() throws Exception {
    Report report =
        check(
            terraformed()
                .changeColumns(
                    CANDLES,
                    cs -> {
                      List<CatalogColumn> out = new ArrayList<>();
                      for (CatalogColumn c : cs) {
                        String type =
                            switch (c.type()) {
                              case "FLOAT" -> "FLOAT64";
                              case "INTEGER" -> "INT64";
                              default -> c.type();
                            };
                        out.add(new CatalogColumn(c.name(), type, c.mode()));
                      }
                      return out;
                    }));
    assertTrue(report.ok(), report.render());
  }

  @Test
  void missingAndExtraColumns() throws Exception {
    Report report =
        check(
            terraformed()
                .changeColumns(
                    CANDLES,
                    cs -> {
                      List<CatalogColumn> out = replaceColumn(cs, "buy_volume", null);
                      out.add(new CatalogColumn("exchange_rank", "INTEGER", "REQUIRED"));
                      out.add(new CatalogColumn("comment", "STRING", "NULLABLE"));
                      return out;
                    }));
    assertEquals(
        List.of(
            "table coinbeam-test.coinbeam.trade_candles: column buy_volume (FLOAT REQUIRED) is"
                + " missing",
            "table coinbeam-test.coinbeam.trade_candles: column exchange_rank is REQUIRED in"
                + " BigQuery but the pipeline has no such column"),
        report.problems());
    assertEquals(
        List.of(
            "table coinbeam-test.coinbeam.trade_candles: column comment exists only in BigQuery"
                + " (NULLABLE; the pipeline leaves it empty)"),
        report.notes());
  }

  @Test
  void partitioningAndClusteringDifferencesAreNotesAboutCost() throws Exception {
    Report report =
        check(
            terraformed()
                .replace(
                    CANDLES, t -> new CatalogTable(t.columns(), null, null, List.of("exchange"))));
    assertTrue(report.ok(), report.render());
    assertEquals(
        List.of(
            "table coinbeam-test.coinbeam.trade_candles is not partitioned by day on window_start"
                + " (BigQuery: not partitioned by a column): queries scan, and cost, more than they"
                + " need",
            "table coinbeam-test.coinbeam.trade_candles is clustered on [exchange], not [exchange,"
                + " base, quote]: queries by key read more than they need"),
        report.notes());
  }

  private record Outcome(int exit, String out, String err) {}

  private static Outcome runMain(BigQueryCatalog.Factory catalogs, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit =
        BigQueryPreflight.run(
            args,
            catalogs,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Outcome(
        exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void makeBqCheckExitsZeroWhenAllTablesMatch() {
    Outcome outcome =
        runMain(
            project -> terraformed(), "--bigQueryProject=" + PROJECT, "--bigQueryDataset=coinbeam");
    assertEquals(0, outcome.exit(), outcome.err());
    assertTrue(outcome.out().contains("preflight passed"), outcome.out());
  }

  @Test
  void makeBqCheckExitsTwoWithTheProblemsAndTheFix() {
    Outcome outcome =
        runMain(
            project -> terraformed().without(CANDLES),
            "--bigQueryProject=" + PROJECT,
            "--bigQueryDataset=coinbeam");
    assertEquals(2, outcome.exit());
    assertTrue(
        outcome
            .err()
            .contains("problem: table coinbeam-test.coinbeam.trade_candles does not exist"),
        outcome.err());
    assertTrue(outcome.err().contains("make tf-apply"), outcome.err());
  }

  @Test
  void makeBqCheckExplainsWhenBigQueryCannotBeAsked() {
    Outcome outcome =
        runMain(
            project -> {
              throw new CatalogException("no Google credentials: run `gcloud auth ...`");
            },
            "--bigQueryProject=" + PROJECT);
    assertEquals(2, outcome.exit());
    assertTrue(
        outcome.err().contains("BigQuery preflight could not run: no Google credentials"),
        outcome.err());
  }

  @Test
  void makeBqCheckRejectsBadFlagsWithExitTwo() {
    Outcome badTemp =
        runMain(
            project -> terraformed(),
            "--bigQueryProject=" + PROJECT,
            "--bigQueryTempLocation=/tmp/bq");
    assertEquals(2, badTemp.exit());
    assertTrue(badTemp.err().contains("must be a gs:// folder"), badTemp.err());
  }
}
