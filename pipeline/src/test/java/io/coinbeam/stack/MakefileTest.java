package io.coinbeam.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.coinbeam.RunnerJvmFlags;
import io.coinbeam.catalog.CoinCapStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Makefile as a user drives it, through {@code make} itself: {@code make help} lists every
 * target README.md tells people to run, one line each, under the heading of its group; and every
 * per-stream target turns RUNNER, MODE, SINKS and the masters into the right command. {@code
 * DRY_RUN=1} prints that command instead of running it (and builds nothing), so the commands are
 * checked word by word without a jar, a cluster or Docker. The developer's own .env is kept out
 * (ENV_FILE=/dev/null). The --add-opens flags expected are {@link RunnerJvmFlags#ADD_OPENS}, read
 * from the same file as the Makefile's; the streams are the Java catalogue's.
 */
class MakefileTest {
  private static final Path ROOT = StackFiles.root();

  /** A rule line with a help text: the target ({@code $(STREAMS)} for the per-stream rule). */
  private static final Pattern DESCRIBED =
      Pattern.compile("^(\\$\\(STREAMS\\)|[a-z][a-z0-9-]*):.*## (.*)$");

  /** A help text's group tag. */
  private static final Pattern GROUP_TAG = Pattern.compile("^\\[([a-z]+)\\] \\S.*$");

  /** A target's line in make help's output. */
  private static final Pattern HELP_LINE = Pattern.compile("^  ([a-z][a-z0-9-]*)\\s+\\S.*$");

  /** The message make stops with when a stack job's INPUT or OUTPUT is not in the stack. */
  private static String notVisible(String variable, String value) {
    return variable
        + "="
        + value
        + " is not visible to the stack's workers; use a path under data/, captures/ or out/ (or a"
        + " URL)";
  }

  /** Variables a caller's environment might set, which would change the defaults under test. */
  private static final List<String> CLEARED =
      List.of(
          "RUNNER",
          "MODE",
          "SINKS",
          "ARGS",
          "INPUT",
          "OUTPUT",
          "FLINK_MASTER",
          "SPARK_MASTER",
          "IN_STACK",
          "CLUSTER_DIR",
          "ENGINE",
          "DRY_RUN",
          "PARALLELISM",
          "CHECKPOINT_MS",
          "BATCH_INTERVAL_MS",
          "JAVA_OPTS",
          "COMPOSE",
          "SERVICES",
          "GCP_PROJECT",
          "GOOGLE_CLOUD_PROJECT",
          "BQ_DATASET",
          "BQ_TEMP_LOCATION",
          "MAKEFLAGS",
          "MAKELEVEL",
          "MFLAGS");

  private record Make(int exitCode, String stdout, String stderr) {
    List<String> lines() {
      return stdout.lines().filter(l -> !l.isBlank()).toList();
    }
  }

  @BeforeAll
  static void needsMake() {
    assumeTrue(
        make(List.of("--version")).exitCode == 0, "make is not installed: Makefile test skipped");
  }

  private static Make make(List<String> args) {
    List<String> command = new ArrayList<>(List.of("make", "-s", "--no-print-directory"));
    command.addAll(args);
    command.add("ENV_FILE=/dev/null");
    if (args.stream().noneMatch(a -> a.startsWith("CLUSTER_DIR="))) {
      // No cluster from make cluster-up: a developer's running one must not change the commands.
      command.add("CLUSTER_DIR=" + ROOT.resolve("target/no-cluster-here"));
    }
    return run(command);
  }

  /** scripts/in-stack-path.sh, the Makefile's path translation for jobs in the compose stack. */
  private static Make inStackPath(String... args) {
    List<String> command = new ArrayList<>(List.of("bash", "scripts/in-stack-path.sh"));
    command.addAll(Arrays.asList(args));
    return run(command);
  }

  private static Make run(List<String> command) {
    ProcessBuilder builder = new ProcessBuilder(command).directory(ROOT.toFile());
    Map<String, String> env = builder.environment();
    CLEARED.forEach(env::remove);
    try {
      Process process = builder.start();
      process.getOutputStream().close();
      var err = process.getErrorStream();
      String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      String stderr = new String(err.readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(1, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        fail(command + " did not finish");
      }
      return new Make(process.exitValue(), stdout, stderr);
    } catch (IOException notInstalled) {
      return new Make(-1, "", notInstalled.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** The one command a dry run prints, split into words (quotes kept, as the shell gets them). */
  private static List<String> dryRun(String target, String... vars) {
    List<String> args = new ArrayList<>(List.of(target, "DRY_RUN=1"));
    args.addAll(Arrays.asList(vars));
    Make result = make(args);
    assertEquals(0, result.exitCode, "make " + args + ":\n" + result.stderr);
    return result.lines().stream()
        .map(line -> List.of(line.trim().split("\\s+")))
        .reduce(
            new ArrayList<>(),
            (all, words) -> {
              List<String> joined = new ArrayList<>(all);
              if (!joined.isEmpty()) {
                joined.add("&&");
              }
              joined.addAll(words);
              return joined;
            });
  }

  private static Set<String> helpTargets() {
    Make help = make(List.of("help"));
    assertEquals(0, help.exitCode, help.stderr);
    Set<String> targets = new TreeSet<>();
    for (String l : help.stdout.lines().toList()) {
      Matcher m = HELP_LINE.matcher(l);
      if (m.matches()) {
        assertTrue(targets.add(m.group(1)), "help lists " + m.group(1) + " twice");
      }
    }
    return targets;
  }

  /** Targets in `make x` commands, in README code (fenced blocks and inline code) only. */
  static Set<String> readmeTargets(String readme) {
    StringBuilder code = new StringBuilder();
    Matcher spans = Pattern.compile("(?s)```.*?```|`[^`\n]+`").matcher(readme);
    while (spans.find()) {
      code.append(spans.group()).append('\n');
    }
    Set<String> named = new LinkedHashSet<>();
    Matcher m = Pattern.compile("(?<![\\w-])make ((?:[a-z][a-z0-9-]*(?: |$))+)").matcher("");
    for (String line : code.toString().split("\n")) {
      // `make tf-init tf-apply` names two targets; `make trades RUNNER=flink` one.
      String command = line.replace("`", " ").replaceAll("(^|\\s)#.*$", "");
      m.reset(command.replaceAll("\\s+", " ") + " ");
      while (m.find()) {
        named.addAll(List.of(m.group(1).trim().split(" ")));
      }
    }
    return named;
  }

  @Test
  void theReadmeScanFindsTargetsInCodeOnly() {
    assertEquals(
        Set.of("up", "tf-init", "tf-apply", "trades"),
        readmeTargets(
            "Run `make up`; make adds flags.\n```bash\nmake tf-init tf-apply # then\n"
                + "make trades RUNNER=flink  # make does it once\n```\nmake sure to"));
  }

  @Test
  void helpListsEveryTargetTheReadmeNamesOneLineEach() throws IOException {
    Set<String> help = helpTargets();
    Set<String> named = readmeTargets(Files.readString(ROOT.resolve("README.md")));
    assertTrue(named.containsAll(List.of("up", "down", "trades", "run")), "scan found " + named);
    Set<String> missing = new TreeSet<>(named);
    missing.removeAll(help);
    assertEquals(Set.of(), missing, "README.md names targets make help does not list");
    for (String stream : List.of("trades", "assets", "rates", "exchanges", "markets")) {
      assertTrue(help.contains(stream), "make help should give " + stream + " its own line");
    }
    for (String target : List.of("up", "down", "down-v", "logs", "ps", "ingest-up", "clean")) {
      assertTrue(help.contains(target), target);
    }
  }

  /** Target -> group, from the Makefile's {@code ## [group] text} comments. */
  private static Map<String, String> describedTargets(List<String> makefile) {
    Map<String, String> groups = new LinkedHashMap<>();
    for (String line : makefile) {
      Matcher rule = DESCRIBED.matcher(line);
      if (!rule.matches()) {
        continue;
      }
      Matcher tag = GROUP_TAG.matcher(rule.group(2));
      assertTrue(tag.matches(), "the help text should start with its [group]: " + line);
      List<String> targets =
          rule.group(1).equals("$(STREAMS)")
              ? Arrays.stream(CoinCapStream.values()).map(CoinCapStream::id).toList()
              : List.of(rule.group(1));
      for (String target : targets) {
        assertNull(groups.put(target, tag.group(1)), target + " is described twice");
      }
    }
    return groups;
  }

  /** A make variable's value as make sees it, from make itself. */
  private static String makeVariable(String expression) {
    Make result = make(List.of("--eval", "print-it: ; @: $(info " + expression + ")", "print-it"));
    assertEquals(0, result.exitCode, result.stderr);
    return result.stdout.strip();
  }

  @Test
  void helpListsEveryDescribedTargetOnceUnderItsGroupsHeadingGroupsInOrder() throws IOException {
    Map<String, String> described =
        describedTargets(Files.readAllLines(ROOT.resolve("Makefile"), StandardCharsets.UTF_8));
    List<String> groups = List.of(makeVariable("$(HELP_GROUPS)").split(" "));
    assertEquals(
        List.of("run", "streams", "cluster", "stack", "cloud", "dbt", "develop", "benchmark"),
        groups);
    Map<String, String> headings = new LinkedHashMap<>();
    for (String group : groups) {
      String title = makeVariable("$(HELP_TITLE_" + group + ")");
      assertFalse(title.isEmpty(), "HELP_TITLE_" + group + " is not set");
      assertNull(headings.put(title + ":", group), "two groups are titled " + title);
    }

    Make help = make(List.of("help"));
    assertEquals(0, help.exitCode, help.stderr);
    Map<String, String> listedUnder = new LinkedHashMap<>();
    List<String> groupsShown = new ArrayList<>();
    String group = null;
    for (String line : help.stdout.lines().toList()) {
      if (headings.containsKey(line)) {
        group = headings.get(line);
        groupsShown.add(group);
        continue;
      }
      Matcher target = HELP_LINE.matcher(line);
      if (target.matches()) {
        assertTrue(group != null, target.group(1) + " is listed before any group heading");
        assertNull(listedUnder.put(target.group(1), group), target.group(1) + " listed twice");
      }
    }
    assertEquals(new TreeMap<>(described), new TreeMap<>(listedUnder), "target -> group");
    assertEquals(groups, groupsShown, "every group once, in HELP_GROUPS order");

    List<String> runGroup =
        listedUnder.entrySet().stream()
            .filter(e -> e.getValue().equals("run"))
            .map(Map.Entry::getKey)
            .toList();
    assertEquals(
        List.of(
            "run",
            "trades",
            "assets",
            "rates",
            "exchanges",
            "markets",
            "report",
            "build",
            "jars",
            "tools"),
        runGroup);
    assertEquals("cloud", listedUnder.get("db-migrate"));
    assertEquals("stack", listedUnder.get("ingest-up"));
    assertEquals("streams", listedUnder.get("stream-demo"));
    assertEquals("develop", listedUnder.get("test"));
    assertEquals("benchmark", listedUnder.get("bench"));
    assertTrue(help.stdout.contains("default flink [local]"), "run says RUNNER's default");
  }

  @Test
  void helpRefusesATextWithoutAGroupRatherThanDropIt() throws IOException {
    Path extra = Files.createTempFile("coinbeam-makefile", ".mk");
    try {
      Files.writeString(extra, "include Makefile\nstray: ## no group here\n\t@true\n");
      Make help = make(List.of("-f", extra.toString(), "help"));
      assertNotEquals(0, help.exitCode, help.stdout);
      assertTrue(help.stderr.contains("the ## comment of stray names no group"), help.stderr);
    } finally {
      Files.delete(extra);
    }
  }

  @Test
  void theMakefileTakesItsStreamsAndTablesFromTheCatalogueFile() {
    String expected =
        Arrays.stream(CoinCapStream.values())
            .map(s -> s.id() + ":" + s.tableName())
            .reduce((a, b) -> a + " " + b)
            .orElseThrow();
    assertEquals(expected, makeVariable("$(foreach s,$(STREAMS),$(s):$(TABLE_$(s)))"));
    Make help = make(List.of("help"));
    for (CoinCapStream stream : CoinCapStream.values()) {
      assertTrue(
          help.stdout.contains("One stream, " + stream.id() + " -> " + stream.tableName() + " "),
          help.stdout);
    }
  }

  @Test
  void theMakefilesAddOpensAreRunnerJvmFlags() {
    assertEquals(String.join(" ", RunnerJvmFlags.ADD_OPENS), makeVariable("$(ADD_OPENS)"));
    assertEquals(
        List.of(
            "java.util",
            "java.lang",
            "java.nio",
            "sun.nio.ch",
            "java.lang.invoke",
            "sun.util.calendar",
            "java.util.concurrent"),
        RunnerJvmFlags.PACKAGES);
  }

  @Test
  void inStackPathsAreTheContainersPathsAbsolutePathsAndUrlsAsTheyAre() {
    Map<String, String> cases = new LinkedHashMap<>();
    cases.put("data/sample/{stream}/*", "/coinbeam/data/sample/{stream}/*");
    cases.put("./captures/exchanges-*.ndjson.gz", "/coinbeam/captures/exchanges-*.ndjson.gz");
    cases.put("out", "/coinbeam/out");
    cases.put("./out/cluster", "/coinbeam/out/cluster");
    cases.put("/coinbeam/out/x", "/coinbeam/out/x");
    cases.put("/tmp/candles", "/tmp/candles");
    cases.put("gs://bucket/candles", "gs://bucket/candles");
    cases.put("s3://bucket/{stream}/*", "s3://bucket/{stream}/*");
    cases.forEach(
        (path, inStack) -> {
          Make result = inStackPath(path);
          assertEquals(0, result.exitCode, path + ": " + result.stderr);
          assertEquals(inStack + "\n", result.stdout, path);
        });
  }

  @Test
  void inStackPathChecksWhatTheStacksWorkersCanSee() {
    for (String visible :
        List.of(
            "data/sample/{stream}/*",
            "./captures/x.ndjson.gz",
            "out",
            "out/",
            "out/cluster",
            "/coinbeam/data/x",
            "/coinbeam/out",
            "gs://bucket/x")) {
      Make result = inStackPath("--check", "INPUT", visible);
      assertEquals(0, result.exitCode, visible + ": " + result.stderr);
      assertEquals("", result.stdout + result.stderr, visible);
    }
    for (String hidden :
        List.of("/tmp/candles", "../shared/fixtures", "data", "outx", "/coinbeam/outx", "docs")) {
      Make result = inStackPath("--check", "OUTPUT", hidden);
      assertEquals(1, result.exitCode, hidden);
      assertEquals(notVisible("OUTPUT", hidden) + "\n", result.stderr, hidden);
    }
  }

  @Test
  void defaultsRunTheFlinkJarInProcess() {
    List<String> cmd = dryRun("trades");
    assertEquals("java", cmd.get(0));
    assertTrue(cmd.containsAll(List.of("-jar", "pipeline/target/coinbeam-flink.jar")), "" + cmd);
    assertTrue(cmd.contains("--runner=FlinkRunner"), "" + cmd);
    assertTrue(cmd.contains("--flinkMaster='[local]'"), "" + cmd);
    assertTrue(cmd.contains("--mode=BATCH") && cmd.contains("--sinks=parquet"), "" + cmd);
    assertTrue(cmd.contains("--input='data/sample/{stream}/*'"), "" + cmd);
    assertTrue(cmd.contains("--output='out'") && cmd.contains("--streams=trades"), "" + cmd);
    assertAddOpens(cmd);
    assertFalse(cmd.contains("docker"), "" + cmd);
  }

  @Test
  void directRunsItsJarInProcessWithoutAddOpens() {
    List<String> cmd = dryRun("trades", "RUNNER=direct");
    assertEquals("java", cmd.get(0));
    assertTrue(cmd.containsAll(List.of("-jar", "pipeline/target/coinbeam-direct.jar")), "" + cmd);
    assertTrue(cmd.contains("--runner=DirectRunner"), "" + cmd);
    assertTrue(cmd.contains("--mode=BATCH") && cmd.contains("--sinks=parquet"), "" + cmd);
    assertTrue(cmd.contains("--input='data/sample/{stream}/*'"), "" + cmd);
    assertTrue(cmd.contains("--output='out'") && cmd.contains("--streams=trades"), "" + cmd);
    assertFalse(String.join(" ", cmd).contains("--add-opens"), "Direct needs no --add-opens");
    assertFalse(cmd.contains("docker"), "" + cmd);
  }

  @Test
  void flinkInProcessGetsItsJarMasterParallelismAndAddOpens() {
    List<String> cmd = dryRun("assets", "RUNNER=flink");
    assertTrue(cmd.contains("pipeline/target/coinbeam-flink.jar"), "" + cmd);
    assertTrue(cmd.contains("--runner=FlinkRunner"), "" + cmd);
    assertTrue(cmd.contains("--flinkMaster='[local]'"), "" + cmd);
    assertTrue(cmd.contains("--parallelism=2") && cmd.contains("--streams=assets"), "" + cmd);
    assertAddOpens(cmd);
    assertFalse(String.join(" ", cmd).contains("--checkpointingInterval"), "batch: no checkpoints");
  }

  /** The flags RunnerJvmFlags reads from add-opens.txt, all of them, in order, before -jar. */
  private static void assertAddOpens(List<String> cmd) {
    assertTrue(
        RunnerJvmFlags.ADD_OPENS.contains("--add-opens=java.base/java.util=ALL-UNNAMED"),
        "" + RunnerJvmFlags.ADD_OPENS);
    int at = Collections.indexOfSubList(cmd, RunnerJvmFlags.ADD_OPENS);
    assertTrue(at >= 0, RunnerJvmFlags.ADD_OPENS + " in " + cmd);
    assertTrue(at < cmd.indexOf("-jar"), "JVM flags go before -jar: " + cmd);
  }

  @Test
  void runnerClassNamesModeAndSeveralSinksResolve() {
    List<String> cmd =
        dryRun("trades", "RUNNER=FlinkRunner", "MODE=streaming", "SINKS=postgres,parquet");
    assertTrue(cmd.contains("pipeline/target/coinbeam-flink.jar"), "" + cmd);
    assertTrue(cmd.contains("--mode=STREAMING"), "" + cmd);
    assertTrue(cmd.contains("--sinks=postgres,parquet"), "" + cmd);
    assertTrue(cmd.contains("--checkpointingInterval=5000"), "" + cmd);

    List<String> spark = dryRun("rates", "ARGS=--runner=SparkRunner --window=15m");
    assertTrue(spark.contains("pipeline/target/coinbeam-spark.jar"), "" + spark);
    assertTrue(spark.contains("--runner=SparkRunner"), "" + spark);
    assertTrue(spark.contains("--sparkMaster='local[*]'"), "" + spark);
    assertTrue(spark.contains("--window=15m"), "ARGS pass through: " + spark);
    assertEquals(1, spark.stream().filter(w -> w.startsWith("--runner=")).count(), "" + spark);
    assertAddOpens(spark);

    List<String> sparkStreaming = dryRun("markets", "RUNNER=spark", "MODE=streaming");
    assertTrue(sparkStreaming.contains("--batchIntervalMillis=1000"), "" + sparkStreaming);
  }

  @Test
  void aLocalFlinkMasterMeansTheComposeClusterAndRunsInTheJobsContainer() {
    List<String> cmd =
        dryRun(
            "trades",
            "RUNNER=flink",
            "FLINK_MASTER=localhost:8081",
            "MODE=streaming",
            "SINKS=postgres,parquet");
    String text = String.join(" ", cmd);
    assertTrue(
        text.startsWith(
            "docker compose up -d --wait flink-taskmanager && docker compose run --rm"
                + " jobs java "),
        text);
    assertTrue(cmd.containsAll(List.of("-jar", "/opt/coinbeam/coinbeam-flink.jar")), text);
    assertTrue(cmd.contains("--flinkMaster=flink-jobmanager:8081"), text);
    assertTrue(cmd.contains("--filesToStage=/opt/coinbeam/coinbeam-flink.jar"), text);
    assertTrue(cmd.contains("--kafkaBootstrapServers=kafka:29092"), text);
    assertTrue(cmd.contains("--checkpointingInterval=5000"), text);
    assertTrue(cmd.contains("--sinks=postgres,parquet"), text);
    assertTrue(cmd.contains("--input='/coinbeam/data/sample/{stream}/*'"), text);
    assertTrue(cmd.contains("--output='/coinbeam/out'"), text);
    assertFalse(text.contains("localhost"), "nothing in the container may say localhost: " + text);
    assertAddOpens(cmd.subList(cmd.indexOf("java"), cmd.size()));
  }

  @Test
  void aLocalSparkMasterMeansTheComposeClusterWithTheDriverInTheNetwork() {
    List<String> cmd =
        dryRun(
            "exchanges",
            "RUNNER=spark",
            "SPARK_MASTER=spark://localhost:7077",
            "INPUT=./captures/exchanges-*.ndjson.gz",
            "OUTPUT=out/cluster");
    String text = String.join(" ", cmd);
    assertTrue(text.startsWith("docker compose up -d --wait spark-worker && "), text);
    assertTrue(cmd.contains("/opt/coinbeam/coinbeam-spark.jar"), text);
    assertTrue(cmd.contains("--sparkMaster=spark://spark-master:7077"), text);
    assertTrue(cmd.contains("--filesToStage=/opt/coinbeam/coinbeam-spark.jar"), text);
    assertTrue(cmd.contains("--input='/coinbeam/captures/exchanges-*.ndjson.gz'"), text);
    assertTrue(cmd.contains("--output='/coinbeam/out/cluster'"), text);
    assertFalse(text.contains("kafkaBootstrapServers"), "batch reads files: " + text);

    List<String> streaming =
        dryRun("trades", "RUNNER=spark", "SPARK_MASTER=spark://127.0.0.1:7077", "MODE=streaming");
    assertTrue(streaming.contains("--batchIntervalMillis=1000"), "" + streaming);
    assertTrue(streaming.contains("--checkpointDir=/coinbeam/checkpoints/spark"), "" + streaming);
    assertTrue(streaming.contains("--kafkaBootstrapServers=kafka:29092"), "" + streaming);
  }

  @Test
  void aRemoteMasterIsSubmittedToFromHere() {
    List<String> flink = dryRun("trades", "RUNNER=flink", "FLINK_MASTER=flink.example.com:8081");
    assertEquals("java", flink.get(0), "" + flink);
    assertTrue(flink.contains("--flinkMaster='flink.example.com:8081'"), "" + flink);
    List<String> spark = dryRun("trades", "RUNNER=spark", "SPARK_MASTER=spark://10.0.0.5:7077");
    assertTrue(spark.contains("--sparkMaster='spark://10.0.0.5:7077'"), "" + spark);
    // IN_STACK=0: your own cluster on localhost, not the compose one.
    List<String> own =
        dryRun("trades", "RUNNER=flink", "FLINK_MASTER=localhost:8081", "IN_STACK=0");
    assertEquals("java", own.get(0), "" + own);
    assertTrue(own.contains("--flinkMaster='localhost:8081'"), "" + own);
  }

  @Test
  void theClusterMadeByClusterUpIsSubmittedToFromHereWithAbsolutePaths(@TempDir Path clusters)
      throws IOException {
    Files.createDirectories(clusters.resolve("flink"));
    Files.writeString(clusters.resolve("flink/master"), "FLINK_MASTER=127.0.0.1:45678\n");
    Files.createDirectories(clusters.resolve("spark"));
    Files.writeString(clusters.resolve("spark/master"), "SPARK_MASTER=spark://127.0.0.1:45679\n");
    String dir = "CLUSTER_DIR=" + clusters;

    List<String> flink = dryRun("trades", "RUNNER=flink", "FLINK_MASTER=127.0.0.1:45678", dir);
    assertEquals("java", flink.get(0), "" + flink);
    assertTrue(flink.contains("--flinkMaster='127.0.0.1:45678'"), "" + flink);
    assertTrue(flink.contains("--input='" + ROOT + "/data/sample/{stream}/*'"), "" + flink);
    assertTrue(flink.contains("--output='" + ROOT + "/out'"), "" + flink);
    // localhost names the same master.
    List<String> named = dryRun("trades", "RUNNER=flink", "FLINK_MASTER=localhost:45678", dir);
    assertEquals("java", named.get(0), "" + named);

    // Absolute paths and URLs stay as they are.
    List<String> spark =
        dryRun(
            "run",
            "RUNNER=spark",
            "SPARK_MASTER=spark://127.0.0.1:45679",
            dir,
            "INPUT=/data/{stream}/*",
            "OUTPUT=gs://bucket/out");
    assertEquals("java", spark.get(0), "" + spark);
    assertTrue(spark.contains("--sparkMaster='spark://127.0.0.1:45679'"), "" + spark);
    assertTrue(spark.contains("--input='/data/{stream}/*'"), "" + spark);
    assertTrue(spark.contains("--output='gs://bucket/out'"), "" + spark);

    // Another port on this machine is still the compose stack's; in-process runs keep their paths.
    List<String> stack = dryRun("trades", "RUNNER=flink", "FLINK_MASTER=127.0.0.1:8081", dir);
    assertTrue(
        String.join(" ", stack).startsWith("docker compose up -d --wait flink-taskmanager"),
        "" + stack);
    List<String> local = dryRun("trades", dir);
    assertTrue(local.contains("--input='data/sample/{stream}/*'"), "" + local);
  }

  @Test
  void clusterTargetsRefuseAnUnknownEngineAndReportNoCluster(@TempDir Path clusters) {
    Make engine = make(List.of("cluster-up", "ENGINE=samza", "CLUSTER_DIR=" + clusters));
    assertNotEquals(0, engine.exitCode);
    assertTrue(
        engine.stderr.contains("ENGINE=samza is not an engine; use flink or spark"), engine.stderr);
    Make status = make(List.of("cluster-status", "ENGINE=spark", "CLUSTER_DIR=" + clusters));
    assertNotEquals(0, status.exitCode);
    assertTrue(status.stderr.contains("no spark cluster is up"), status.stderr);
    Make down = make(List.of("cluster-down", "ENGINE=flink", "CLUSTER_DIR=" + clusters));
    assertEquals(0, down.exitCode, down.stderr);
    assertTrue(down.stdout.contains("no flink cluster is up"), down.stdout);
  }

  @Test
  void runOnTheStackKeepsTheHostOutputAndStartsTheEngine() {
    // No clearing first: the pipeline swaps each table in only when the run succeeded.
    List<String> local = dryRun("run");
    assertEquals("java", local.get(0), "" + local);
    assertFalse(local.contains("rm"), "" + local);
    assertTrue(local.contains("--streams=all"), "" + local);
    List<String> stack = dryRun("run", "RUNNER=flink", "FLINK_MASTER=localhost:8081");
    assertFalse(stack.contains("rm"), "./out is not where the stack writes: " + stack);
    assertTrue(stack.contains("--streams=all"), "" + stack);
  }

  @Test
  void badSettingsFailWithAClearMessageBeforeAnythingRuns() {
    Make runner = make(List.of("trades", "RUNNER=samza", "DRY_RUN=1"));
    assertNotEquals(0, runner.exitCode);
    assertTrue(
        runner.stderr.contains("RUNNER=samza is not a runner; use direct, flink or spark"),
        runner.stderr);
    assertEquals("", runner.stdout);

    Make mode = make(List.of("trades", "MODE=stream", "DRY_RUN=1"));
    assertNotEquals(0, mode.exitCode);
    assertTrue(
        mode.stderr.contains("MODE=stream is not a mode; use batch or streaming"), mode.stderr);

    Make path =
        make(
            List.of(
                "trades",
                "RUNNER=spark",
                "SPARK_MASTER=spark://localhost:7077",
                "OUTPUT=/tmp/candles",
                "DRY_RUN=1"));
    assertNotEquals(0, path.exitCode);
    assertTrue(
        path.stderr.contains(notVisible("OUTPUT", "/tmp/candles") + ".  Stop."), path.stderr);
    assertEquals("", path.stdout);

    Make input =
        make(
            List.of(
                "trades",
                "RUNNER=flink",
                "FLINK_MASTER=localhost:8081",
                "INPUT=../shared/fixtures/trades.ndjson",
                "DRY_RUN=1"));
    assertNotEquals(0, input.exitCode);
    assertTrue(
        input.stderr.contains(notVisible("INPUT", "../shared/fixtures/trades.ndjson") + ".  Stop."),
        input.stderr);

    Make direct = make(List.of("trades", "RUNNER=direct", "IN_STACK=1", "DRY_RUN=1"));
    assertNotEquals(0, direct.exitCode);
    assertTrue(direct.stderr.contains("needs RUNNER=flink or RUNNER=spark"), direct.stderr);
  }

  @Test
  void stackTargetsRunTheComposeCommandsTheReadmeDescribes() {
    assertEquals(
        List.of(
            "test",
            "-f",
            ".env",
            "||",
            "{",
            "cp",
            ".env.example",
            ".env",
            "&&",
            "echo",
            "\"coinbeam:",
            "made",
            ".env",
            "from",
            ".env.example\";",
            "}",
            "&&",
            "mkdir",
            "-p",
            "captures",
            "pipeline/target",
            "&&",
            "docker",
            "compose",
            "up",
            "-d",
            "--wait"),
        dryRun("up"));
    assertEquals(
        List.of("docker", "compose", "up", "-d", "--wait", "kafka", "postgres"),
        dryRun("up", "SERVICES=kafka postgres").subList(22, 29));
    assertEquals(
        List.of(
            "docker",
            "compose",
            "--profile",
            "ingest",
            "--profile",
            "jobs",
            "down",
            "--remove-orphans"),
        dryRun("down"));
    assertEquals("--volumes", dryRun("down-v").get(8));
    List<String> ingest = dryRun("ingest-up");
    assertTrue(
        String.join(" ", ingest).endsWith("docker compose --profile ingest up -d --wait ingester"),
        "" + ingest);
  }

  @Test
  void ingestUpRefusesToStartWithoutAnApiKey() {
    Make result = make(List.of("ingest-up", "COINCAP_API_KEY="));
    assertEquals(2, result.exitCode, result.stderr);
    assertTrue(result.stderr.contains("COINCAP_API_KEY is empty"), result.stderr);
  }
}
