package io.coinbeam.grafana;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.coinbeam.grafana.GrafanaSqlExpander.Context;
import io.coinbeam.grafana.GrafanaSqlExpander.Variable;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The expansions written out by hand from Grafana's PostgreSQL macro and variable docs. */
class GrafanaSqlExpanderTest {
  private static final Context CONTEXT =
      new Context(
          Instant.parse("2024-05-07T12:00:00Z"),
          Instant.parse("2024-05-07T12:30:00Z"),
          Duration.ofMinutes(5),
          Map.of(
              "exchange", new Variable(List.of("o'kex"), false),
              "pair", new Variable(List.of("bitcoin/tether", "x'y"), true)));

  @Test
  void expandsMacrosAndVariablesAsGrafanaDoes() {
    assertEquals(
        "SELECT floor(extract(epoch from window_start)/300)*300 AS \"time\" FROM t"
            + " WHERE window_start BETWEEN '2024-05-07T12:00:00Z' AND '2024-05-07T12:30:00Z'"
            + " AND exchange = 'o''kex' AND p IN ('bitcoin/tether','x''y') AND 5m = 300000"
            + " AND '2024-05-07T12:00:00Z' < '2024-05-07T12:30:00Z'",
        GrafanaSqlExpander.expand(
            "SELECT $__timeGroupAlias(window_start, $__interval) FROM t"
                + " WHERE $__timeFilter(window_start) AND exchange = '$exchange' AND p IN (${pair})"
                + " AND $__interval = $__interval_ms AND $__timeFrom() < $__timeTo()",
            CONTEXT));
  }

  @Test
  void leavesUnknownVariablesForTheCheckAndRefusesUnknownMacros() {
    String sql = GrafanaSqlExpander.expand("SELECT $missing, [[old]]", CONTEXT);
    assertEquals(List.of("$missing", "[[old"), GrafanaSqlExpander.leftovers(sql));
    assertThrows(
        IllegalArgumentException.class,
        () -> GrafanaSqlExpander.expand("SELECT $__unixEpochFilter(t)", CONTEXT));
    assertThrows(
        IllegalArgumentException.class,
        () -> GrafanaSqlExpander.expand("SELECT $__timeGroup(t)", CONTEXT));
  }
}
