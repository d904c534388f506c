package io.coinbeam.dbt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * What dbt can check of the bigquery target with no GCP: {@code dbt parse} reads the project for
 * BigQuery (the manifest holds every model's partitioning, clustering and merge strategy), and
 * {@code dbt compile} writes BigQuery SQL for every model that needs no look at the warehouse. The
 * incremental models do ({@code is_incremental()} asks BigQuery whether their table exists), so
 * their SQL is proven only by a real project; see dbt/README.md.
 *
 * <p>dbt-bigquery builds its client when it opens a connection, which needs credentials: the test
 * gives it a service-account key it makes itself, whose token endpoint is a closed loopback port,
 * so nothing can leave the machine.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DbtBigQueryOfflineTest {
  private static final String PROJECT = "coinbeam-offline";
  private static final Map<String, Object> BY_DAY =
      Map.of("field", "window_start", "data_type", "timestamp", "granularity", "day");

  @TempDir static Path work;
  private DbtCli.Result parse;
  private DbtCli.Result compile;

  @BeforeAll
  void parseAndCompile() throws Exception {
    DbtCli dbt = DbtCli.locate(work);
    Map<String, String> env =
        Map.of(
            "DBT_TARGET", "bigquery",
            "GCP_PROJECT", PROJECT,
            "GOOGLE_APPLICATION_CREDENTIALS", offlineKey().toString(),
            "COINBEAM_SOURCE_SCHEMA", "coinbeam",
            "DBT_BQ_DATASET", "coinbeam_marts");
    parse = dbt.run("parse", env, "parse", "--target", "bigquery");
    compile =
        dbt.run(
            "compile",
            env,
            "compile",
            "--target",
            "bigquery",
            "--no-populate-cache",
            "--exclude",
            "config.materialized:incremental");
  }

  /** A throwaway service-account key: a fresh RSA key, a token URI nothing listens on. */
  private static Path offlineKey() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    String pem =
        "-----BEGIN PRIVATE KEY-----\n"
            + Base64.getMimeEncoder(64, "\n".getBytes())
                .encodeToString(generator.generateKeyPair().getPrivate().getEncoded())
            + "\n-----END PRIVATE KEY-----\n";
    Map<String, String> key = new TreeMap<>();
    key.put("type", "service_account");
    key.put("project_id", PROJECT);
    key.put("private_key_id", "offline");
    key.put("private_key", pem);
    key.put("client_email", "dbt@" + PROJECT + ".iam.gserviceaccount.com");
    key.put("client_id", "1");
    key.put("token_uri", "http://127.0.0.1:9/token");
    Path file = work.resolve("offline-key.json");
    new ObjectMapper().writeValue(file.toFile(), key);
    return file;
  }

  private JsonNode model(String name) {
    return parse.artifact("manifest.json").path("nodes").path("model.coinbeam." + name);
  }

  @Test
  void theManifestPartitionsAndClustersTheMartsByDay() {
    assertEquals(0, parse.exitCode(), parse.output());
    for (String incremental :
        List.of("fct_candles_hourly", "fct_candles_daily", "fct_cross_exchange_spread")) {
      JsonNode config = model(incremental).path("config");
      assertEquals("incremental", config.path("materialized").asText(), incremental);
      assertEquals("merge", config.path("incremental_strategy").asText(), incremental);
      assertEquals(BY_DAY, new ObjectMapper().convertValue(config.path("partition_by"), Map.class));
    }
    assertEquals(List.of("exchange", "base", "quote"), clusterBy(model("fct_candles_hourly")));
    assertEquals(List.of("exchange", "base", "quote"), clusterBy(model("fct_candles_daily")));
    assertEquals(List.of("base", "quote"), clusterBy(model("fct_cross_exchange_spread")));
    assertEquals(List.of("exchange_id"), clusterBy(model("fct_exchange_volume_share")));
    assertEquals(
        BY_DAY,
        new ObjectMapper()
            .convertValue(
                model("fct_market_overview").path("config").path("partition_by"), Map.class));
    assertEquals("coinbeam_marts", model("dim_assets").path("schema").asText());
    assertEquals(PROJECT, model("dim_assets").path("database").asText());
    JsonNode source =
        parse
            .artifact("manifest.json")
            .path("sources")
            .path("source.coinbeam.coinbeam.trade_candles");
    assertEquals("coinbeam", source.path("schema").asText());
  }

  private static List<String> clusterBy(JsonNode model) {
    List<String> columns = new ArrayList<>();
    model.path("config").path("cluster_by").forEach(c -> columns.add(c.asText()));
    return columns;
  }

  @Test
  void everyModelThatNeedsNoWarehouseCompilesToBigQuerySql() {
    assertEquals(0, compile.exitCode(), compile.output());
    Map<String, String> compiled = new TreeMap<>();
    for (JsonNode result : compile.artifact("run_results.json").path("results")) {
      String id = result.path("unique_id").asText();
      if (id.startsWith("model.")) {
        compiled.put(id.replace("model.coinbeam.", ""), result.path("compiled_code").asText());
      }
    }
    assertEquals(
        List.of(
            "dim_assets",
            "dim_exchanges",
            "fct_exchange_volume_share",
            "fct_market_overview",
            "stg_asset_stats",
            "stg_exchange_stats",
            "stg_market_stats",
            "stg_rate_stats",
            "stg_trade_candles"),
        List.copyOf(compiled.keySet()));
    for (Map.Entry<String, String> model : compiled.entrySet()) {
      String sql = model.getValue();
      for (String postgresOnly :
          List.of("date_trunc(", "distinct on", "))[1]", "nullif(", "interval '", "\"", "::")) {
        assertFalse(
            sql.contains(postgresOnly), model.getKey() + " has " + postgresOnly + ":\n" + sql);
      }
    }
    // The latest pane per key, as BigQuery holds every pane; sources in the pipeline's dataset.
    String staging = compiled.get("stg_trade_candles");
    assertTrue(staging.contains("qualify row_number() over"), staging);
    assertTrue(staging.contains("`" + PROJECT + "`.`coinbeam`.`trade_candles`"), staging);
    assertTrue(staging.contains("cast(open as float64)"), staging);
    String shares = compiled.get("fct_exchange_volume_share");
    assertTrue(shares.contains("timestamp_trunc(window_start, HOUR)"), shares);
    assertTrue(shares.contains("safe_divide("), shares);
    assertTrue(
        shares.contains("array_agg(percent_total_volume ignore nulls order by window_start desc"),
        shares);
    assertTrue(shares.contains("`" + PROJECT + "`.`coinbeam_marts`.`fct_candles_hourly`"), shares);
  }
}
