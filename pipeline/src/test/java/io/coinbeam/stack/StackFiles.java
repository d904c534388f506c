package io.coinbeam.stack;

import io.coinbeam.testing.ProjectFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Node;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * Reads the local stack's files the way their tools do: YAML with anchors and merge keys (as docker
 * compose and Grafana read it), .env files as KEY=value lines (as compose and make read them), and
 * the root pom's version properties (what the runner jars are built with).
 */
final class StackFiles {
  private static final Pattern ENV_LINE = Pattern.compile("^\\s*([A-Za-z_][A-Za-z0-9_]*)=(.*)$");

  private StackFiles() {}

  static Path root() {
    return ProjectFiles.root();
  }

  /** A YAML document as nested maps and lists; aliases and {@code <<} merges resolved. */
  static Map<String, Object> yaml(Path file) throws IOException {
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    Object document = new Yaml(options).load(Files.readString(file));
    if (!(document instanceof Map)) {
      throw new AssertionError(file + " is not a YAML mapping");
    }
    return map(document, file.toString());
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object value, String what) {
    if (!(value instanceof Map)) {
      throw new AssertionError(what + " should be a mapping but is " + value);
    }
    return (Map<String, Object>) value;
  }

  @SuppressWarnings("unchecked")
  static List<Object> list(Object value, String what) {
    if (!(value instanceof List)) {
      throw new AssertionError(what + " should be a list but is " + value);
    }
    return (List<Object>) value;
  }

  /** KEY=value lines of an env file, in order; comments and blank lines skipped. */
  static Map<String, String> envFile(Path file) throws IOException {
    Map<String, String> values = new LinkedHashMap<>();
    for (String line : Files.readAllLines(file)) {
      Matcher m = ENV_LINE.matcher(line);
      if (!line.trim().startsWith("#") && m.matches()) {
        values.put(m.group(1), m.group(2));
      }
    }
    return values;
  }

  /** A property of the root pom.xml, e.g. flink.version. */
  static String pomProperty(String name) throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    Document pom = factory.newDocumentBuilder().parse(root().resolve("pom.xml").toFile());
    Node properties = pom.getElementsByTagName("properties").item(0);
    for (Node n = properties.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n.getNodeType() == Node.ELEMENT_NODE && n.getNodeName().equals(name)) {
        return n.getTextContent().trim();
      }
    }
    throw new AssertionError("pom.xml has no property " + name);
  }
}
