package io.coinbeam.stack;

import static io.coinbeam.stack.StackFiles.list;
import static io.coinbeam.stack.StackFiles.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.coinbeam.catalog.CoinCapStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * docker-compose.yml checked statically, since no Docker engine runs where the tests do: it parses;
 * images are pinned, from maintained publishers, and Flink and Spark are the versions the runner
 * jars are built with; every long-running service has a healthcheck and every one-shot service lets
 * {@code up --wait} finish; host ports match the documented ones and do not clash; every variable
 * it uses is in .env.example (and nothing there is unused); secrets only come from variables;
 * Kafka, the topics, PostgreSQL's init and Grafana's provisioning are wired to the names the
 * pipeline and dashboards use. Where the compose plugin exists, {@code docker compose config} must
 * accept the file too.
 */
class ComposeFileTest {
  private static final Path ROOT = StackFiles.root();
  private static final Path COMPOSE = ROOT.resolve("docker-compose.yml");

  /** The images we allow: official or vendor-maintained (no bitnami, no abandoned forks). */
  private static final Set<String> MAINTAINED =
      Set.of(
          "apache/kafka",
          "kafbat/kafka-ui",
          "postgres",
          "flink",
          "apache/spark",
          "grafana/grafana",
          "eclipse-temurin");

  /** The host ports README.md and the shared contract promise, by service. */
  private static final Map<String, Set<Integer>> HOST_PORTS =
      Map.of(
          "kafka", Set.of(9092),
          "postgres", Set.of(5432),
          "grafana", Set.of(3000),
          "flink-jobmanager", Set.of(8081),
          "spark-master", Set.of(7077, 8080),
          "kafka-ui", Set.of(8088));

  private static final Pattern VARIABLE =
      Pattern.compile(
          "(?<!\\$)\\$(?:\\{([A-Za-z_][A-Za-z0-9_]*)([^}]*)\\}|([A-Za-z_][A-Za-z0-9_]*))");

  private static String text;
  private static Map<String, Object> compose;
  private static Map<String, Object> services;

  @BeforeAll
  static void parse() throws IOException {
    text = Files.readString(COMPOSE);
    compose = StackFiles.yaml(COMPOSE);
    services = map(compose.get("services"), "services");
  }

  private static Map<String, Object> service(String name) {
    return map(services.get(name), "service " + name);
  }

  private static Map<String, Object> environment(String name) {
    Object env = service(name).get("environment");
    return env == null ? Map.of() : map(env, name + ".environment");
  }

  private static String image(String name) {
    return String.valueOf(service(name).get("image"));
  }

  private static String tag(String name) {
    String image = image(name);
    return image.substring(image.lastIndexOf(':') + 1);
  }

  private static boolean longRunning(String name) {
    return !"no".equals(String.valueOf(service(name).get("restart")));
  }

  private static boolean inProfile(String name) {
    return service(name).get("profiles") != null;
  }

  private static Map<String, String> dependsOn(String name) {
    Object deps = service(name).get("depends_on");
    Map<String, String> conditions = new TreeMap<>();
    if (deps != null) {
      map(deps, name + ".depends_on")
          .forEach((k, v) -> conditions.put(k, String.valueOf(map(v, k).get("condition"))));
    }
    return conditions;
  }

  @Test
  void theStackHasExactlyTheDocumentedServices() {
    assertEquals("coinbeam", compose.get("name"), "the compose project name");
    assertEquals(
        new TreeSet<>(
            List.of(
                "kafka",
                "kafka-init",
                "kafka-ui",
                "postgres",
                "init-volumes",
                "flink-jobmanager",
                "flink-taskmanager",
                "spark-master",
                "spark-worker",
                "grafana",
                "ingester",
                "jobs")),
        new TreeSet<>(services.keySet()));
  }

  @Test
  void everyImageIsPinnedAndFromAMaintainedPublisher() {
    Pattern pinned = Pattern.compile("^v?\\d+\\.\\d+(\\.\\d+)?([._-][A-Za-z0-9._-]+)?$");
    for (String name : services.keySet()) {
      String image = image(name);
      assertTrue(image.contains(":"), name + ": image " + image + " has no tag");
      String repository = image.substring(0, image.lastIndexOf(':'));
      assertTrue(
          MAINTAINED.contains(repository),
          name + ": " + repository + " is not one of the maintained images " + MAINTAINED);
      assertTrue(
          pinned.matcher(tag(name)).matches(),
          name + ": tag " + tag(name) + " is not a pinned version (major.minor[.patch]...)");
    }
  }

  @Test
  void flinkAndSparkImagesAreTheVersionsTheRunnerJarsAreBuiltWith() throws Exception {
    String flink = StackFiles.pomProperty("flink.version");
    String spark = StackFiles.pomProperty("spark.version");
    String scala = StackFiles.pomProperty("scala.binary.version");
    String java = StackFiles.pomProperty("maven.compiler.release");
    for (String name : List.of("flink-jobmanager", "flink-taskmanager")) {
      assertEquals(
          "flink:" + flink + "-scala_" + scala + "-java" + java,
          image(name),
          name + " must run the Flink the jar has (pom.xml flink.version), same Scala, Java 17");
    }
    for (String name : List.of("spark-master", "spark-worker")) {
      assertEquals(
          "apache/spark:" + spark + "-scala" + scala + "-java" + java + "-ubuntu",
          image(name),
          name + " must run exactly the Spark the jar has (pom.xml spark.version)");
    }
    for (String name : List.of("ingester", "jobs", "init-volumes")) {
      assertTrue(
          tag(name).startsWith(java + ".") && tag(name).contains("-jre"),
          name + ": the Java runtime must be Java " + java + ", was " + image(name));
    }
    Matcher kafka = Pattern.compile("^(\\d+)\\.(\\d+)\\.\\d+$").matcher(tag("kafka"));
    assertTrue(kafka.matches(), "kafka tag " + tag("kafka"));
    int minor = Integer.parseInt(kafka.group(1)) * 100 + Integer.parseInt(kafka.group(2));
    assertTrue(minor >= 307, "Kafka 3.7 or newer (KRaft in the official image), was " + minor);
  }

  @Test
  void longRunningServicesHaveHealthchecksAndOneShotsLetUpWaitFinish() {
    for (String name : services.keySet()) {
      Map<String, Object> s = service(name);
      if (longRunning(name)) {
        assertEquals("unless-stopped", s.get("restart"), name + ": restart policy");
        Object check = s.get("healthcheck");
        assertNotNull(check, name + " runs for good but has no healthcheck");
        List<Object> test = list(map(check, name + ".healthcheck").get("test"), name + " test");
        assertTrue(test.size() >= 2 && !test.get(0).equals("NONE"), name + ": healthcheck " + test);
        assertTrue(
            Set.of("CMD", "CMD-SHELL").contains(test.get(0)), name + ": healthcheck " + test);
      } else if (!inProfile(name)) {
        // `docker compose up --wait` only accepts an exited container if a service it waits for
        // depends on it having completed.
        boolean adopted =
            services.keySet().stream()
                .filter(other -> longRunning(other) && !inProfile(other))
                .anyMatch(
                    other -> "service_completed_successfully".equals(dependsOn(other).get(name)));
        assertTrue(adopted, name + " is one-shot but no long-running service waits for it");
      }
    }
    assertEquals(List.of("ingest"), service("ingester").get("profiles"));
    assertEquals(List.of("jobs"), service("jobs").get("profiles"));
  }

  @Test
  void dependenciesNameRealServicesWithRealConditions() {
    Set<String> conditions =
        Set.of("service_started", "service_healthy", "service_completed_successfully");
    for (String name : services.keySet()) {
      dependsOn(name)
          .forEach(
              (dep, condition) -> {
                assertTrue(services.containsKey(dep), name + " depends on unknown " + dep);
                assertTrue(conditions.contains(condition), name + " -> " + dep + ": " + condition);
                if (condition.equals("service_healthy")) {
                  assertTrue(longRunning(dep), name + " waits for one-shot " + dep + " health");
                }
              });
    }
  }

  @Test
  void hostPortsAreTheDocumentedOnesOnLoopbackAndDoNotClash() {
    Map<Integer, String> taken = new HashMap<>();
    Map<String, Set<Integer>> published = new TreeMap<>();
    Pattern mapping = Pattern.compile("^(127\\.0\\.0\\.1):(\\d+):(\\d+)$");
    for (String name : services.keySet()) {
      Object ports = service(name).get("ports");
      if (ports == null) {
        continue;
      }
      for (Object port : list(ports, name + ".ports")) {
        Matcher m = mapping.matcher(String.valueOf(port));
        assertTrue(m.matches(), name + ": " + port + " should be 127.0.0.1:<host>:<container>");
        int host = Integer.parseInt(m.group(2));
        String before = taken.put(host, name);
        assertTrue(before == null, "host port " + host + " used by " + before + " and " + name);
        published.computeIfAbsent(name, k -> new TreeSet<>()).add(host);
      }
    }
    Map<String, Set<Integer>> expected = new TreeMap<>();
    HOST_PORTS.forEach((k, v) -> expected.put(k, new TreeSet<>(v)));
    assertEquals(expected, published);
  }

  /** Every ${VAR} compose substitutes, without the ones escaped as $$. */
  private static Map<String, String> variablesUsed(String yaml) {
    Map<String, String> used = new TreeMap<>();
    for (String line : yaml.split("\n")) {
      if (line.trim().startsWith("#")) {
        continue;
      }
      Matcher m = VARIABLE.matcher(line);
      while (m.find()) {
        String name = m.group(1) != null ? m.group(1) : m.group(3);
        used.put(name, m.group(2) == null ? "" : m.group(2));
      }
    }
    return used;
  }

  @Test
  void variablesUsedAreExactlyTheOnesInEnvExample() throws IOException {
    Map<String, String> example = StackFiles.envFile(ROOT.resolve(".env.example"));
    Set<String> used = variablesUsed(text).keySet();
    assertFalse(used.isEmpty(), "the variable scan found nothing: is the pattern broken?");
    assertEquals(
        new TreeSet<>(used),
        new TreeSet<>(example.keySet()),
        "docker-compose.yml's ${VARIABLES} and .env.example's keys must be the same set");
    String gitignore = Files.readString(ROOT.resolve(".gitignore"));
    assertTrue(gitignore.lines().anyMatch(l -> l.trim().equals(".env")), ".env is git-ignored");
  }

  @Test
  void theVariableScanSeesBracedAndBareButNotEscapedVariables() {
    assertEquals(
        Map.of("A", "", "B", ":-x", "C", ":?must be set", "E", ""),
        variablesUsed("x: ${A} ${B:-x} ${C:?must be set} $$D $E\n# ${F}\n"));
  }

  @Test
  void secretsComeOnlyFromVariables() {
    Pattern secretKey = Pattern.compile("PASSWORD|API_KEY|SECRET|TOKEN");
    Pattern fromVariable = Pattern.compile("^\\$\\{[A-Z_0-9]+(:\\?[^}]*|:-)?\\}$");
    for (String name : services.keySet()) {
      environment(name)
          .forEach(
              (key, value) -> {
                if (secretKey.matcher(key).find()) {
                  assertTrue(
                      fromVariable.matcher(String.valueOf(value)).matches(),
                      name + "." + key + " must come from .env without a default, was " + value);
                }
              });
    }
  }

  @Test
  void kafkaIsKraftWithAHostAndAContainerListener() {
    Map<String, Object> env = environment("kafka");
    assertEquals("broker,controller", env.get("KAFKA_PROCESS_ROLES"));
    for (String name : services.keySet()) {
      assertFalse(name.contains("zookeeper"), "KRaft: no ZooKeeper service");
      environment(name).keySet().forEach(k -> assertFalse(k.contains("ZOOKEEPER"), name + k));
    }
    Set<String> advertised =
        Set.of(String.valueOf(env.get("KAFKA_ADVERTISED_LISTENERS")).split(","));
    assertEquals(Set.of("INTERNAL://kafka:29092", "HOST://localhost:9092"), advertised);
    assertEquals("INTERNAL", env.get("KAFKA_INTER_BROKER_LISTENER_NAME"));
    assertEquals("false", env.get("KAFKA_AUTO_CREATE_TOPICS_ENABLE"));
  }

  @Test
  void topicInitCreatesOneTopicPerStreamAndThePricesTopic() {
    List<String> expected = new ArrayList<>();
    for (CoinCapStream stream : CoinCapStream.values()) {
      expected.add("coincap." + stream.id());
    }
    expected.add("coincap.prices");
    Map<String, Object> env = environment("kafka-init");
    assertEquals(expected, Arrays.asList(String.valueOf(env.get("TOPICS")).split(" ")));
    String script =
        list(service("kafka-init").get("command"), "command").stream()
            .map(String::valueOf)
            .collect(Collectors.joining("\n"))
            .replace("$$", "$");
    assertTrue(script.contains("for topic in $TOPICS"), script);
    assertTrue(script.contains("--create --if-not-exists"), script);
    assertTrue(script.contains("--bootstrap-server kafka:29092"), script);
  }

  @Test
  void everythingThatRunsPipelineCodeReachesKafkaAndPostgresInsideTheNetwork() {
    for (String name : List.of("jobs", "flink-jobmanager", "flink-taskmanager", "spark-worker")) {
      Map<String, Object> env = environment(name);
      assertEquals("kafka:29092", env.get("KAFKA_BOOTSTRAP_SERVERS"), name);
      assertEquals("jdbc:postgresql://postgres:5432/coinbeam", env.get("PG_URL"), name);
      assertEquals("${PG_USER:-coinbeam}", env.get("PG_USER"), name);
      assertNotNull(env.get("PG_PASSWORD"), name);
      // The Makefile hands these container paths to jobs (in_stack_path): same on every worker.
      Set<String> targets = mountTargets(name).keySet();
      for (String path : List.of("/coinbeam/data", "/coinbeam/captures", "/coinbeam/out")) {
        assertTrue(targets.contains(path), name + " should mount " + path + ": " + targets);
      }
    }
    assertEquals("kafka:29092", environment("ingester").get("KAFKA_BOOTSTRAP_SERVERS"));
    assertEquals("./pipeline/target", mountTargets("jobs").get("/opt/coinbeam"));
    // The ingester runs the ingest module's jar (make ingest-up builds it), not a runner jar.
    assertEquals("./ingest/target", mountTargets("ingester").get("/opt/coinbeam"));
    assertEquals(
        List.of("java", "-Xmx512m", "-jar", "/opt/coinbeam/coinbeam-ingest.jar"),
        service("ingester").get("command"));
    assertEquals(
        List.of("sh", "/coinbeam-docker/entrypoint.sh"), service("jobs").get("entrypoint"));
    assertTrue(Files.isRegularFile(ROOT.resolve("docker/jobs/entrypoint.sh")));
  }

  /** A service's volume mounts, container path to source (a volume name or a ./ path). */
  private static Map<String, String> mountTargets(String name) {
    Map<String, String> mounts = new TreeMap<>();
    Object volumes = service(name).get("volumes");
    if (volumes != null) {
      for (Object v : list(volumes, name + ".volumes")) {
        String[] parts = String.valueOf(v).split(":");
        mounts.put(parts[1], parts[0]);
      }
    }
    return mounts;
  }

  @Test
  void namedVolumesAreDeclaredAndUsedAndBindSourcesExist() {
    Set<String> declared = new TreeSet<>(map(compose.get("volumes"), "volumes").keySet());
    Set<String> used = new TreeSet<>();
    Set<String> createdByMake = Set.of("./captures", "./pipeline/target");
    for (String name : services.keySet()) {
      for (String source : mountTargets(name).values()) {
        if (source.startsWith("./")) {
          assertTrue(
              createdByMake.contains(source) || Files.exists(ROOT.resolve(source)),
              name + " mounts " + source + ", which is not in the repository");
        } else {
          used.add(source);
        }
      }
    }
    assertEquals(declared, used, "named volumes declared vs used");
  }

  @Test
  void postgresIsSixteenWithTheGrafanaRoleInit() throws IOException {
    assertTrue(tag("postgres").startsWith("16."), image("postgres"));
    Map<String, Object> env = environment("postgres");
    assertEquals("coinbeam", env.get("POSTGRES_DB"));
    assertEquals("${PG_USER:-coinbeam}", env.get("POSTGRES_USER"));
    assertEquals(
        "./docker/postgres/init", mountTargets("postgres").get("/docker-entrypoint-initdb.d"));
    Path script = ROOT.resolve("docker/postgres/init/10-grafana-role.sh");
    String sql = Files.readString(script);
    assertTrue(sql.contains("CREATE ROLE grafana LOGIN"), sql);
    assertTrue(sql.contains("$GRAFANA_DB_PASSWORD") && env.containsKey("GRAFANA_DB_PASSWORD"));
    assertFalse(sql.matches("(?s).*GRANT (INSERT|UPDATE|DELETE|ALL).*"), "grafana reads only");
    assertTrue(Files.isExecutable(script), "the entrypoint runs executable init scripts");
  }

  @Test
  void grafanaProvisionsThePostgresDatasourceAndTheDashboardsFolder() throws IOException {
    Path provisioning = ROOT.resolve("docker/grafana/provisioning");
    Map<String, String> mounts = mountTargets("grafana");
    assertEquals("./docker/grafana/provisioning", mounts.get("/etc/grafana/provisioning"));

    Map<String, Object> ds =
        map(
            list(
                    StackFiles.yaml(provisioning.resolve("datasources/coinbeam.yml"))
                        .get("datasources"),
                    "datasources")
                .get(0),
            "datasource");
    assertEquals("coinbeam-postgres", ds.get("uid"));
    assertEquals("postgres", ds.get("type"));
    assertEquals("postgres:5432", ds.get("url"));
    assertEquals("grafana", ds.get("user"), "the read-only role from docker/postgres/init");
    assertEquals("coinbeam", map(ds.get("jsonData"), "jsonData").get("database"));
    Object password = map(ds.get("secureJsonData"), "secureJsonData").get("password");
    assertEquals("${GRAFANA_DB_PASSWORD}", password);

    Map<String, Object> provider =
        map(
            list(
                    StackFiles.yaml(provisioning.resolve("dashboards/coinbeam.yml"))
                        .get("providers"),
                    "providers")
                .get(0),
            "provider");
    assertEquals("file", provider.get("type"));
    String path = String.valueOf(map(provider.get("options"), "options").get("path"));
    assertEquals("./docker/grafana/dashboards", mounts.get(path), "the provider reads the mount");
    assertTrue(Files.isDirectory(ROOT.resolve("docker/grafana/dashboards")));

    // Every variable Grafana expands in its provisioning must be in its environment.
    Set<String> env = environment("grafana").keySet();
    try (var files = Files.walk(provisioning)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yml")).toList()) {
        StackFiles.yaml(file); // parses
        for (String variable : variablesUsed(Files.readString(file)).keySet()) {
          assertTrue(env.contains(variable), file + " uses " + variable + " grafana lacks");
        }
      }
    }
  }

  @Test
  void dockerComposeAcceptsTheFileWhereThePluginExists() throws Exception {
    assumeTrue(
        run(List.of("docker", "compose", "version")).exitCode == 0,
        "docker compose is not installed here: `docker compose config` skipped (static checks ran)");
    Result config =
        run(
            List.of(
                "docker",
                "compose",
                "--env-file",
                ".env.example",
                "--profile",
                "ingest",
                "--profile",
                "jobs",
                "config",
                "--quiet"));
    assertEquals(0, config.exitCode, "docker compose config:\n" + config.output);
  }

  private record Result(int exitCode, String output) {}

  private static Result run(List<String> command) throws Exception {
    Process process;
    try {
      process =
          new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true).start();
    } catch (IOException notInstalled) {
      return new Result(-1, notInstalled.getMessage());
    }
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(2, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      fail(command + " did not finish");
    }
    return new Result(process.exitValue(), output);
  }

  @Test
  void theEnvExampleDocumentsEveryKey() throws IOException {
    List<String> lines = Files.readAllLines(ROOT.resolve(".env.example"));
    Map<String, String> keys = StackFiles.envFile(ROOT.resolve(".env.example"));
    Set<String> undocumented =
        keys.keySet().stream()
            .filter(
                key -> {
                  int at = -1;
                  for (int i = 0; i < lines.size(); i++) {
                    if (lines.get(i).startsWith(key + "=")) {
                      at = i;
                    }
                  }
                  // A comment in the block of lines the key sits in.
                  for (int i = at - 1; i >= 0 && !lines.get(i).isBlank(); i--) {
                    if (lines.get(i).startsWith("#")) {
                      return false;
                    }
                  }
                  return true;
                })
            .collect(Collectors.toCollection(TreeSet::new));
    assertEquals(Set.of(), undocumented, "keys without a comment above them in .env.example");
  }
}
