package io.coinbeam.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * docker/postgres/init/10-grafana-role.sh run the way the postgres image runs it (as the database
 * owner, with the compose variables), against a real PostgreSQL server started from the binaries
 * installed on this machine (PG_BIN, else /usr/lib/postgresql/&lt;newest&gt;/bin); skipped with a
 * message where there are none. Then Grafana's role reads what the owner creates afterwards, in any
 * schema, and cannot write.
 */
class PostgresInitScriptTest {
  private static final String PASSWORD = "it's a $secret";
  private static Path bin;
  private static Path dir;
  private static boolean asRoot;
  private static final int PORT = 55000 + (int) (ProcessHandle.current().pid() % 4000);

  private record Run(int exitCode, String output) {}

  private static Optional<Path> binaries() throws IOException {
    String configured = System.getenv("PG_BIN");
    if (configured != null && !configured.isBlank()) {
      return Optional.of(Path.of(configured));
    }
    Path installed = Path.of("/usr/lib/postgresql");
    if (!Files.isDirectory(installed)) {
      return Optional.empty();
    }
    try (Stream<Path> versions = Files.list(installed)) {
      return versions
          .map(v -> v.resolve("bin"))
          .filter(b -> Files.isExecutable(b.resolve("initdb")))
          .max(Comparator.comparing(b -> Integer.parseInt(b.getParent().getFileName().toString())));
    }
  }

  /** Runs a command, as the postgres user when the tests run as root (initdb refuses root). */
  private static Run run(Map<String, String> env, String... command) throws Exception {
    List<String> full = new ArrayList<>();
    if (asRoot) {
      full.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    full.add("env");
    env.forEach((k, v) -> full.add(k + "=" + v));
    full.addAll(List.of(command));
    Process p = new ProcessBuilder(full).redirectErrorStream(true).start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(2, TimeUnit.MINUTES), "timed out: " + full);
    return new Run(p.exitValue(), out);
  }

  /** psql as user; each statement its own -c, so its own transaction. */
  private static Run psql(String user, String... statements) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                bin.resolve("psql").toString(),
                "-h",
                dir.toString(),
                "-p",
                String.valueOf(PORT),
                "-U",
                user,
                "-d",
                "coinbeam",
                "-v",
                "ON_ERROR_STOP=1",
                "-qAt"));
    for (String statement : statements) {
      command.add("-c");
      command.add(statement);
    }
    return run(Map.of(), command.toArray(String[]::new));
  }

  @BeforeAll
  static void startServerAndRunTheInitScript() throws Exception {
    Optional<Path> found = binaries();
    assumeTrue(
        found.isPresent(), "no PostgreSQL binaries (set PG_BIN): the init script test is skipped");
    bin = found.get();
    asRoot = "root".equals(System.getProperty("user.name"));
    if (asRoot) {
      assumeTrue(
          new ProcessBuilder("id", "postgres").start().waitFor() == 0,
          "running as root without a postgres user: the init script test is skipped");
    }
    dir = Files.createTempDirectory("coinbeam-pg-init");
    if (asRoot) {
      assertEquals(0, new ProcessBuilder("chown", "postgres", dir.toString()).start().waitFor());
    }
    Path data = dir.resolve("data");
    Run init =
        run(
            Map.of(),
            bin.resolve("initdb").toString(),
            "-D",
            data.toString(),
            "-U",
            "coinbeam",
            "--auth-local=trust",
            "--auth-host=scram-sha-256");
    assertEquals(0, init.exitCode, init.output);
    Run start =
        run(
            Map.of(),
            bin.resolve("pg_ctl").toString(),
            "-D",
            data.toString(),
            "-l",
            dir.resolve("log").toString(),
            "-w",
            "-o",
            "-k " + dir + " -p " + PORT + " -c listen_addresses=127.0.0.1",
            "start");
    assertEquals(0, start.exitCode, start.output);
    Run create =
        run(
            Map.of(),
            bin.resolve("createdb").toString(),
            "-h",
            dir.toString(),
            "-p",
            String.valueOf(PORT),
            "-U",
            "coinbeam",
            "coinbeam");
    assertEquals(0, create.exitCode, create.output);

    // What the postgres image gives its init scripts: the owner, the database, compose's variable.
    Path script = StackFiles.root().resolve("docker/postgres/init/10-grafana-role.sh");
    Run initScript =
        run(
            Map.of(
                "PATH",
                bin + ":" + System.getenv("PATH"),
                "PGHOST",
                dir.toString(),
                "PGPORT",
                String.valueOf(PORT),
                "POSTGRES_USER",
                "coinbeam",
                "POSTGRES_DB",
                "coinbeam",
                "GRAFANA_DB_PASSWORD",
                PASSWORD),
            "bash",
            script.toString());
    assertEquals(0, initScript.exitCode, initScript.output);
  }

  @AfterAll
  static void stopServer() throws Exception {
    if (dir != null) {
      run(Map.of(), bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "stop");
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
  }

  @Test
  void grafanaReadsWhatTheOwnerCreatesLaterInAnySchemaAndCannotWrite() throws Exception {
    Run owner =
        psql(
            "coinbeam",
            "CREATE TABLE trade_candles (exchange text PRIMARY KEY, close numeric);"
                + " INSERT INTO trade_candles VALUES ('binance', 61234.5);"
                + " CREATE SCHEMA marts;"
                + " CREATE VIEW marts.fct_candles_hourly AS SELECT * FROM trade_candles;");
    assertEquals(0, owner.exitCode, owner.output);

    Run read =
        psql(
            "grafana",
            "SELECT close FROM trade_candles; SELECT exchange FROM marts.fct_candles_hourly;");
    assertEquals(0, read.exitCode, read.output);
    assertEquals(List.of("61234.5", "binance"), read.output.lines().toList());

    // Read-only by default, and without write privileges when it switches that off.
    Run insert = psql("grafana", "INSERT INTO trade_candles VALUES ('kraken', 1)");
    assertNotEquals(0, insert.exitCode);
    assertTrue(insert.output.contains("read-only transaction"), insert.output);
    String readWrite = "SET default_transaction_read_only = off";
    Run update = psql("grafana", readWrite, "UPDATE trade_candles SET close = 0");
    assertNotEquals(0, update.exitCode);
    assertTrue(update.output.contains("permission denied for table trade_candles"), update.output);
    Run ddl = psql("grafana", readWrite, "CREATE TABLE x (i int)");
    assertNotEquals(0, ddl.exitCode);
    assertTrue(ddl.output.contains("permission denied for schema public"), ddl.output);
    Run mart = psql("grafana", readWrite, "CREATE VIEW marts.v AS SELECT 1");
    assertTrue(mart.output.contains("permission denied for schema marts"), mart.output);
  }

  private static Run loginOverTcp(String password) throws Exception {
    return run(
        Map.of("PGPASSWORD", password),
        bin.resolve("psql").toString(),
        "-h",
        "127.0.0.1",
        "-p",
        String.valueOf(PORT),
        "-U",
        "grafana",
        "-d",
        "coinbeam",
        "-qAt",
        "-c",
        "SELECT current_user");
  }

  @Test
  void grafanaLogsInWithThePasswordFromTheEnvironmentOnly() throws Exception {
    Run right = loginOverTcp(PASSWORD);
    assertEquals(0, right.exitCode, right.output);
    assertEquals("grafana", right.output.trim());
    Run wrong = loginOverTcp("grafana-local");
    assertNotEquals(0, wrong.exitCode);
    assertTrue(wrong.output.contains("password authentication failed"), wrong.output);
  }
}
