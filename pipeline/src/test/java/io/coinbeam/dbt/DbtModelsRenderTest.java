package io.coinbeam.dbt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coinbeam.testing.ProjectFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dbt project renders for both targets with the functions the harness implements: every model,
 * in the incremental branch too, with no Jinja left over, the BigQuery branch of every macro in
 * BigQuery's dialect; and the harness refuses what it does not support instead of skipping it.
 */
class DbtModelsRenderTest {
  private static final Path DBT = ProjectFiles.root().resolve("dbt");
  private final JinjaRenderer renderer = new JinjaRenderer();

  private DbtRunner runner(String type) {
    DbtTarget target = new DbtTarget(type, "analytics");
    return new DbtRunner(DbtProject.load(DBT, target, renderer), target, renderer);
  }

  @Test
  void theProjectHasTheContractsModels() {
    DbtProject project = DbtProject.load(DBT, new DbtTarget("postgres", "x"), renderer);
    assertEquals(
        new TreeSet<>(
            List.of(
                "stg_trade_candles",
                "stg_asset_stats",
                "stg_rate_stats",
                "stg_exchange_stats",
                "stg_market_stats",
                "fct_candles_hourly",
                "fct_candles_daily",
                "dim_assets",
                "dim_exchanges",
                "fct_market_overview",
                "fct_exchange_volume_share",
                "fct_cross_exchange_spread")),
        project.models().keySet());
    assertEquals(
        Set.of(
            "coinbeam.trade_candles",
            "coinbeam.asset_stats",
            "coinbeam.rate_stats",
            "coinbeam.exchange_stats",
            "coinbeam.market_stats"),
        project.sources().keySet());
    assertEquals("public", project.sources().get("coinbeam.trade_candles"));
  }

  @Test
  void staging_comes_before_the_marts_that_ref_it() {
    List<String> order = runner("postgres").order();
    assertTrue(order.indexOf("stg_trade_candles") < order.indexOf("fct_candles_hourly"));
    assertTrue(order.indexOf("fct_candles_hourly") < order.indexOf("fct_exchange_volume_share"));
    assertTrue(order.indexOf("stg_exchange_stats") < order.indexOf("dim_exchanges"));
    assertEquals(12, order.size());
  }

  @Test
  void everyModelRendersForBigQueryInItsDialect() {
    DbtRunner bigquery = runner("bigquery");
    DbtProject project = DbtProject.load(DBT, new DbtTarget("bigquery", "analytics"), renderer);
    assertEquals("coinbeam", project.sources().get("coinbeam.trade_candles"));
    for (DbtProject.Model model : project.models().values()) {
      for (boolean incremental : new boolean[] {false, true}) {
        String sql =
            renderer.render(
                model.sql(),
                new RenderScope(project, new DbtTarget("bigquery", "analytics"), incremental),
                project.macros(),
                "`analytics`.`" + model.name() + "`");
        assertFalse(sql.contains("{{") || sql.contains("{%"), model.name() + ": " + sql);
        for (String postgresOnly :
            List.of("date_trunc(", "distinct on", "))[1]", "nullif(", "interval '", "\"")) {
          assertFalse(
              sql.contains(postgresOnly), model.name() + " has " + postgresOnly + ":\n" + sql);
        }
      }
    }
    String hourly =
        renderer.render(
            project.models().get("fct_candles_hourly").sql(),
            new RenderScope(project, new DbtTarget("bigquery", "analytics"), true),
            project.macros(),
            "`analytics`.`fct_candles_hourly`");
    assertTrue(hourly.contains("timestamp_trunc(window_start, HOUR)"), hourly);
    assertTrue(
        hourly.contains("array_agg(open ignore nulls order by window_start limit 1)[offset(0)]"),
        hourly);
    assertTrue(hourly.contains("from `analytics`.`fct_candles_hourly`"), hourly);
    DbtRunner.Parsed parsed = bigquery.parse(project.models().get("fct_candles_hourly"));
    assertEquals("merge", parsed.config().get("incremental_strategy"));
    assertEquals(
        Map.of("field", "window_start", "data_type", "timestamp", "granularity", "day"),
        Map.copyOf((Map<?, ?>) parsed.config().get("partition_by")));
  }

  @Test
  void postgresConfigIsDeleteInsertOnTheKey() {
    DbtRunner postgres = runner("postgres");
    DbtProject project = DbtProject.load(DBT, new DbtTarget("postgres", "a"), renderer);
    DbtRunner.Parsed parsed = postgres.parse(project.models().get("fct_candles_daily"));
    assertEquals("incremental", parsed.config().get("materialized"));
    assertEquals("delete+insert", parsed.config().get("incremental_strategy"));
    assertEquals("candle_key", parsed.config().get("unique_key"));
    assertFalse(parsed.config().containsKey("partition_by"));
    assertEquals(List.of("stg_trade_candles"), parsed.refs());
  }

  @Test
  void whatTheHarnessLacksFailsTheRender(@TempDir Path dir) throws Exception {
    Files.createDirectories(dir.resolve("models/staging"));
    Files.writeString(
        dir.resolve("dbt_project.yml"),
        "name: p\nmodels:\n  p:\n    staging:\n      +materialized: view\n");
    Files.writeString(dir.resolve("models/staging/a.sql"), "select {{ dbt_utils.star('x') }}");
    Files.writeString(dir.resolve("models/staging/b.sql"), "select * from {{ ref('nope') }}");
    DbtTarget target = new DbtTarget("postgres", "s");
    DbtProject project = DbtProject.load(dir, target, renderer);
    DbtRunner runner = new DbtRunner(project, target, renderer);
    IllegalArgumentException unknown =
        assertThrows(IllegalArgumentException.class, () -> runner.parse(project.models().get("a")));
    assertTrue(unknown.getMessage().contains("a.sql"), unknown.getMessage());
    IllegalArgumentException missing =
        assertThrows(IllegalArgumentException.class, () -> runner.parse(project.models().get("b")));
    assertTrue(missing.getMessage().contains("nope"), missing.getMessage());
  }

  @Test
  void aTestTheHarnessDoesNotKnowIsRefused() {
    DbtRunner postgres = runner("postgres");
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                SchemaTestSql.compile(
                    new DbtProject.SchemaTest(
                        "dim_assets", "asset_id", "dbt_utils.at_least_one", Map.of()),
                    postgres));
    assertTrue(e.getMessage().contains("not supported"), e.getMessage());
  }

  @Test
  void theMacrosCheckTheirArguments() {
    DbtProject project = DbtProject.load(DBT, new DbtTarget("postgres", "a"), renderer);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                renderer.render(
                    "{{ coinbeam_trunc('week', 'ts') }}",
                    new RenderScope(project, new DbtTarget("postgres", "a"), false),
                    project.macros(),
                    null));
    assertTrue(e.getMessage().contains("minute, hour or day"), e.getMessage());
    assertEquals(
        "date_trunc('hour', ts, 'UTC') | (x + interval '-2 hour') | (array_agg(v order by a desc, b asc))[1]",
        renderer.render(
            "{{ coinbeam_trunc('hour', 'ts') }} | {{ coinbeam_add('hour', -2, 'x') }} | {{ coinbeam_last('v', 'a, b desc') }}",
            new RenderScope(project, new DbtTarget("postgres", "a"), false),
            project.macros(),
            null));
  }
}
