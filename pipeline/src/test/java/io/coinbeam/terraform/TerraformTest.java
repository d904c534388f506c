package io.coinbeam.terraform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.coinbeam.catalog.CoinCapStream;
import io.coinbeam.rows.DeadLetters;
import io.coinbeam.schema.TableDefinition;
import io.coinbeam.testing.ProjectFiles;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * terraform/ checked as text, since providers cannot be downloaded here (so no validate or plan):
 * it declares every table the pipeline writes from the same schema files, with day partitions,
 * clustering from tables.json and deletion protection; the service account gets only the three
 * roles it needs, each on the narrowest resource; variables are described and validated; nothing
 * holds credentials; and {@code terraform fmt -check} passes where terraform is installed.
 */
class TerraformTest {
  private static final Path DIR = ProjectFiles.root().resolve("terraform");
  private static String all;
  private static String main;

  @BeforeAll
  static void read() throws IOException {
    StringBuilder text = new StringBuilder();
    try (Stream<Path> files = Files.list(DIR)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".tf")).sorted().toList()) {
        text.append(Files.readString(file)).append('\n');
      }
    }
    all = text.toString();
    main = Files.readString(DIR.resolve("main.tf"));
  }

  /** The body of the first block whose header matches, braces balanced; empty if none. */
  static Optional<String> block(String text, String headerRegex) {
    Matcher header = Pattern.compile("(?m)^\\s*" + headerRegex + "\\s*\\{").matcher(text);
    if (!header.find()) {
      return Optional.empty();
    }
    int depth = 1;
    int i = header.end();
    for (; i < text.length() && depth > 0; i++) {
      char c = text.charAt(i);
      if (c == '{') {
        depth++;
      } else if (c == '}') {
        depth--;
      }
    }
    return Optional.of(text.substring(header.end(), i - 1));
  }

  static String resource(String type, String name) {
    return block(all, "resource\\s+\"" + type + "\"\\s+\"" + name + "\"")
        .orElseThrow(() -> new AssertionError("no resource " + type + "." + name));
  }

  private static void assertHas(String body, String regex, String what) {
    assertTrue(Pattern.compile(regex).matcher(body).find(), what + ": expected /" + regex + "/");
  }

  @Test
  void versionsArePinned() throws IOException {
    String versions = Files.readString(DIR.resolve("versions.tf"));
    assertHas(versions, "required_version\\s*=\\s*\">= 1\\.5\"", "Terraform >= 1.5");
    String google =
        block(versions, "google\\s*=").orElseThrow(() -> new AssertionError("no google provider"));
    assertHas(google, "source\\s*=\\s*\"hashicorp/google\"", "hashicorp/google");
    assertHas(google, "version\\s*=\\s*\"~> \\d+\\.\\d+\\.\\d+\"", "a pinned provider version");
  }

  /** The tables are the schema files: for_each over tables.json, schema = file(<table>.json). */
  @Test
  void everyTableThePipelineWritesComesFromItsSchemaFile() {
    Matcher dir =
        Pattern.compile("schema_dir\\s*=\\s*\"\\$\\{path\\.module\\}/([^\"]+)\"").matcher(main);
    assertTrue(dir.find(), "local.schema_dir");
    Path schemaDir = DIR.resolve(dir.group(1)).normalize();
    assertEquals(
        ProjectFiles.root().resolve("core/src/main/resources/schemas"),
        schemaDir,
        "Terraform reads the pipeline's own schema folder");
    assertHas(
        main,
        "tables\\s*=\\s*jsondecode\\(file\\(\"\\$\\{local\\.schema_dir\\}/tables\\.json\"\\)\\)",
        "local.tables from tables.json");

    String tables = resource("google_bigquery_table", "tables");
    assertHas(tables, "for_each\\s*=\\s*local\\.tables\\b", "one table per tables.json entry");
    assertHas(tables, "table_id\\s*=\\s*each\\.key", "named as in tables.json");
    assertHas(
        tables,
        "schema\\s*=\\s*file\\(\"\\$\\{local\\.schema_dir\\}/\\$\\{each\\.key\\}\\.json\"\\)",
        "schema from the table's JSON file");
    String partitioning =
        block(tables, "time_partitioning").orElseThrow(() -> new AssertionError("partitioning"));
    assertHas(partitioning, "type\\s*=\\s*\"DAY\"", "day partitions");
    assertHas(partitioning, "field\\s*=\\s*each\\.value\\.partition\\b", "on tables.json's column");
    assertHas(tables, "clustering\\s*=\\s*each\\.value\\.clustering\\b", "clustering");
    assertHas(tables, "deletion_protection\\s*=\\s*var\\.deletion_protection", "protected");

    // for_each covers tables.json; the pipeline writes exactly the tables listed there.
    TreeSet<String> written = new TreeSet<>();
    for (CoinCapStream stream : CoinCapStream.values()) {
      written.add(stream.tableName());
    }
    written.add(DeadLetters.table().name());
    assertEquals(written, new TreeSet<>(TableDefinition.allNames()));
    for (String table : written) {
      assertTrue(Files.isRegularFile(schemaDir.resolve(table + ".json")), table);
    }
  }

  @Test
  void datasetBucketAndServiceAccountExist() {
    String dataset = resource("google_bigquery_dataset", "coinbeam");
    assertHas(dataset, "dataset_id\\s*=\\s*var\\.dataset_id", "dataset from dataset_id");
    assertHas(dataset, "location\\s*=\\s*var\\.location", "dataset location");
    resource("google_service_account", "pipeline");
    String bucket = resource("google_storage_bucket", "coinbeam");
    assertHas(bucket, "location\\s*=\\s*var\\.location", "bucket beside the dataset");
    assertHas(bucket, "uniform_bucket_level_access\\s*=\\s*true", "IAM only, no ACLs");
    assertHas(bucket, "public_access_prevention\\s*=\\s*\"enforced\"", "never public");
    boolean tempRule = false;
    for (String rule : blocks(bucket, "lifecycle_rule")) {
      if (rule.contains("matches_prefix = [var.temp_prefix]")) {
        assertHas(rule, "age\\s*=\\s*var\\.temp_retention_days", "temp files expire");
        assertHas(rule, "type\\s*=\\s*\"Delete\"", "temp files are deleted");
        tempRule = true;
      }
    }
    assertTrue(tempRule, "a lifecycle rule deletes temp/ objects");
  }

  /** Three roles for the pipeline, each on the narrowest resource; nothing broader anywhere. */
  @Test
  void serviceAccountHasLeastPrivilege() {
    Map<String, String> grants = new TreeMap<>();
    Matcher iam =
        Pattern.compile("(?m)^resource\\s+\"(google_[a-z_]*iam_[a-z]+)\"\\s+\"([a-z_]+)\"")
            .matcher(all);
    while (iam.find()) {
      String body = resource(iam.group(1), iam.group(2));
      Matcher role = Pattern.compile("role\\s*=\\s*\"([^\"]+)\"").matcher(body);
      assertTrue(role.find(), iam.group(0));
      grants.put(role.group(1), iam.group(1));
    }
    assertEquals(
        Map.of(
            "roles/bigquery.dataEditor", "google_bigquery_dataset_iam_member",
            "roles/bigquery.jobUser", "google_project_iam_member",
            "roles/storage.objectAdmin", "google_storage_bucket_iam_member",
            "roles/iam.serviceAccountTokenCreator", "google_service_account_iam_member"),
        grants);
    assertFalse(all.matches("(?s).*roles/(owner|editor|bigquery\\.admin|storage\\.admin).*"));
    assertFalse(all.contains("_iam_policy\""), "authoritative IAM would remove others' access");
    assertFalse(all.contains("_iam_binding\""), "authoritative IAM would remove others' access");
  }

  @Test
  void noCredentialsInTheConfiguration() {
    assertFalse(all.contains("google_service_account_key"), "no key files are minted");
    assertFalse(Pattern.compile("(?m)^\\s*(credentials|access_token)\\s*=").matcher(all).find());
    assertFalse(all.contains("private_key"));
  }

  @Test
  void variablesAreDescribedAndValidated() {
    Matcher names = Pattern.compile("(?m)^variable\\s+\"([a-z_]+)\"").matcher(all);
    List<String> declared = new ArrayList<>();
    while (names.find()) {
      String name = names.group(1);
      declared.add(name);
      String body = block(all, "variable\\s+\"" + name + "\"").orElseThrow();
      assertHas(body, "description\\s*=\\s*\"[^\"]{20,}", name + " has a description");
    }
    assertTrue(
        declared.containsAll(
            List.of(
                "project_id",
                "location",
                "dataset_id",
                "environment",
                "labels",
                "deletion_protection",
                "bucket_name",
                "temp_prefix",
                "lake_prefix")),
        declared.toString());
    for (String validated :
        List.of("project_id", "location", "dataset_id", "environment", "labels", "bucket_name")) {
      String body = block(all, "variable\\s+\"" + validated + "\"").orElseThrow();
      assertTrue(body.contains("validation {"), validated + " is validated");
    }
  }

  @Test
  void outputsNameWhatThePipelineNeeds() {
    for (String output :
        List.of(
            "project_id",
            "dataset_id",
            "table_ids",
            "service_account_email",
            "bucket_name",
            "temp_location")) {
      String body =
          block(all, "output\\s+\"" + output + "\"")
              .orElseThrow(() -> new AssertionError("no output " + output));
      assertHas(body, "description\\s*=", output + " has a description");
    }
  }

  @Test
  void realVariableFilesStayOutOfGit() throws IOException {
    assertTrue(Files.isRegularFile(DIR.resolve("terraform.tfvars.example")));
    List<String> ignored = Files.readAllLines(ProjectFiles.root().resolve(".gitignore"));
    assertTrue(ignored.contains("*.tfvars"), ".gitignore has *.tfvars");
    assertTrue(ignored.contains("!*.tfvars.example"), ".gitignore keeps the example");
    assertTrue(ignored.contains("*.tfstate*"), ".gitignore has the state");
  }

  @Test
  void makeHasTheTerraformAndPreflightTargets() throws IOException {
    String makefile = Files.readString(ProjectFiles.root().resolve("Makefile"));
    for (String target :
        List.of("tf-init", "tf-plan", "tf-apply", "tf-destroy", "tf-fmt-check", "bq-check")) {
      assertHas(makefile, "(?m)^" + target + ":.*## \\S", "make " + target + " with help text");
    }
  }

  @Test
  void terraformFmtCheckPasses() throws Exception {
    Optional<Path> terraform = onPath("terraform");
    assumeTrue(
        terraform.isPresent(),
        "skipped: terraform is not on PATH (make tf-fmt-check runs the same check where it is)");
    Process fmt =
        new ProcessBuilder(
                terraform.get().toString(), "fmt", "-check", "-recursive", "-diff", DIR.toString())
            .redirectErrorStream(true)
            .start();
    String output = new String(fmt.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(fmt.waitFor(60, TimeUnit.SECONDS), "terraform fmt finished");
    assertEquals(0, fmt.exitValue(), "terraform fmt -check -recursive terraform/:\n" + output);
  }

  private static List<String> blocks(String text, String header) {
    List<String> out = new ArrayList<>();
    String rest = text;
    Optional<String> body;
    while ((body = block(rest, header)).isPresent()) {
      out.add(body.get());
      rest = rest.substring(rest.indexOf(body.get()) + body.get().length());
    }
    return out;
  }

  private static Optional<Path> onPath(String program) {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String dir : path.split(File.pathSeparator)) {
      Path candidate = Path.of(dir, program);
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }
}
