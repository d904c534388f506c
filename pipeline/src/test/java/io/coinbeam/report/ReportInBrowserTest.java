package io.coinbeam.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.coinbeam.CoinbeamPipeline;
import io.coinbeam.testing.ProjectFiles;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report of a run on the bundled sample, as a reader sees it in a real browser: Debian's
 * headless Chromium opens out/report.html from the file system with no network, and through the
 * DevTools protocol the test checks that every chart is drawn (an SVG of non-zero size with
 * content), that the console has no error, and that the page requests nothing but its own file. A
 * PNG of the page stays in pipeline/target/report-in-browser.png for people to look at.
 *
 * <p>Chromium is installed by .ci/run (and {@code apt-get install chromium}); the test installs
 * nothing. Without it, the test fails in CI ({@code CI=true}) and is skipped elsewhere.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReportInBrowserTest {
  private static final Path SCREENSHOT =
      ProjectFiles.root().resolve("pipeline/target/report-in-browser.png");
  private static final Pattern LISTENING = Pattern.compile("DevTools listening on (ws://\\S+)");

  @TempDir static Path work;
  private Process chromium;
  private Path report;
  private String html;
  private JsonNode charts;
  private Visit reportVisit;
  private Visit probeVisit;
  private byte[] png;

  /** What one page did while it loaded: console errors and the URLs it requested. */
  record Visit(List<JsonNode> consoleErrors, List<String> requests) {}

  /**
   * A page that does what the report must not: logs an error and asks the network for an image (at
   * a documentation address; the proxy flag stops it anyway). It proves the checks can fail.
   */
  private static final String PROBE =
      "<!doctype html><html><body><script>console.error('probe error')</script>"
          + "<img src='http://198.51.100.7/probe.png'></body></html>";

  @BeforeAll
  void openTheReportInChromium() throws Exception {
    String browser = chromiumCommand();
    Path out = work.resolve("out");
    Path sample = ProjectFiles.root().resolve("data/sample");
    assertEquals(
        CoinbeamPipeline.EXIT_OK,
        CoinbeamPipeline.run(
            new String[] {
              "--input=" + sample + "/{stream}/*", "--output=" + out, "--sinks=parquet"
            }));
    report = out.resolve(ReportWriter.FILE_NAME);
    html = Files.readString(report);

    chromium =
        new ProcessBuilder(
                browser,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--remote-debugging-port=0",
                "--remote-allow-origins=*",
                "--user-data-dir=" + work.resolve("profile"),
                "--no-first-run",
                "--no-default-browser-check",
                "--disable-extensions",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                // No network: every connection goes to a proxy that is not there.
                "--proxy-server=127.0.0.1:9",
                "--window-size=1280,2000",
                "about:blank")
            .redirectErrorStream(true)
            .start();
    URI browserSocket = debuggerUrl(chromium);
    URI page = pageTarget(browserSocket);
    try (DevToolsSession session = DevToolsSession.connect(page)) {
      session.send("Runtime.enable", Map.of());
      session.send("Log.enable", Map.of());
      session.send("Network.enable", Map.of());
      session.send("Page.enable", Map.of());
      Path probe = work.resolve("probe.html");
      Files.writeString(probe, PROBE);
      probeVisit = visit(session, probe.toUri());
      reportVisit = visit(session, report.toUri());
      charts =
          new ObjectMapper()
              .readTree(
                  session
                      .send(
                          "Runtime.evaluate",
                          Map.of(
                              "returnByValue",
                              true,
                              "expression",
                              "JSON.stringify([...document.querySelectorAll('figure.chart')].map(f"
                                  + " => { const svgs = f.querySelectorAll('svg'); const r = svgs.length"
                                  + " ? svgs[0].getBoundingClientRect() : {width: 0, height: 0};"
                                  + " const shapes = svgs.length ? svgs[0].querySelectorAll('path, rect,"
                                  + " line, polyline, text').length : 0; return {caption:"
                                  + " (f.querySelector('figcaption') || {}).textContent || f.className,"
                                  + " svgs: svgs.length, width: r.width, height: r.height, shapes,"
                                  + " visible: getComputedStyle(f).display !== 'none'}; }))"))
                      .path("result")
                      .path("value")
                      .asText());
      png =
          Base64.getDecoder()
              .decode(
                  session
                      .send(
                          "Page.captureScreenshot",
                          Map.of("format", "png", "captureBeyondViewport", true))
                      .path("data")
                      .asText());
      try {
        session.send("Browser.close", Map.of());
      } catch (Exception e) {
        // The browser may close the socket before it answers; the process is ended below anyway.
      }
    }
    Files.createDirectories(SCREENSHOT.getParent());
    Files.write(SCREENSHOT, png);
  }

  /**
   * Opens uri in the page, waits for its load event, and reports what it did meanwhile. A blank
   * page loads first, so that late events of the page before cannot count as this one's.
   */
  private static Visit visit(DevToolsSession session, URI uri) throws Exception {
    session.forgetEvents();
    session.send("Page.navigate", Map.of("url", "about:blank"));
    session.await("Page.loadEventFired", Duration.ofSeconds(60));
    session.forgetEvents();
    session.send("Page.navigate", Map.of("url", uri.toString()));
    session.await("Page.loadEventFired", Duration.ofSeconds(60));
    List<JsonNode> errors = new ArrayList<>();
    for (JsonNode event :
        session.events("Runtime.consoleAPICalled", "Runtime.exceptionThrown", "Log.entryAdded")) {
      JsonNode params = event.path("params");
      boolean error =
          event.path("method").asText().equals("Runtime.exceptionThrown")
              || params.path("type").asText().equals("error")
              || params.path("entry").path("level").asText().equals("error");
      if (error) {
        errors.add(event);
      }
    }
    List<String> requests = new ArrayList<>();
    for (JsonNode event : session.events("Network.requestWillBeSent")) {
      requests.add(event.path("params").path("request").path("url").asText());
    }
    return new Visit(errors, requests);
  }

  @AfterAll
  void stopChromium() throws Exception {
    if (chromium != null && chromium.isAlive()) {
      chromium.descendants().forEach(ProcessHandle::destroy);
      chromium.destroy();
      if (!chromium.waitFor(10, TimeUnit.SECONDS)) {
        chromium.descendants().forEach(ProcessHandle::destroyForcibly);
        chromium.destroyForcibly();
      }
    }
  }

  /** chromium on PATH (or -Dcoinbeam.chromium=); missing: a failure in CI, a skip elsewhere. */
  private static String chromiumCommand() {
    String given = System.getProperty("coinbeam.chromium", "");
    List<String> names =
        given.isBlank() ? List.of("chromium", "chromium-browser", "google-chrome") : List.of(given);
    for (String name : names) {
      if (name.contains("/") && Files.isExecutable(Path.of(name))) {
        return name;
      }
      for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
        if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
          return Path.of(dir, name).toString();
        }
      }
    }
    String message =
        "Chromium is not installed (looked for "
            + names
            + "): apt-get install chromium (.ci/run does it), or -Dcoinbeam.chromium=<path>";
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      fail(message);
    }
    Assumptions.abort(message);
    return null;
  }

  /** The browser's DevTools socket, from the line Chromium prints when it listens. */
  private static URI debuggerUrl(Process chromium) throws Exception {
    BufferedReader lines =
        new BufferedReader(
            new InputStreamReader(chromium.getInputStream(), StandardCharsets.UTF_8));
    StringBuilder seen = new StringBuilder();
    CompletableFuture<URI> url =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                  seen.append(line).append('\n');
                  Matcher m = LISTENING.matcher(line);
                  if (m.find()) {
                    URI found = URI.create(m.group(1));
                    // Keep draining, so a chatty browser never blocks on a full pipe.
                    Thread drain =
                        new Thread(
                            () -> {
                              try {
                                while (lines.readLine() != null) {
                                  // discard
                                }
                              } catch (Exception e) {
                                // the browser has gone
                              }
                            });
                    drain.setDaemon(true);
                    drain.start();
                    return found;
                  }
                }
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
              throw new IllegalStateException("Chromium exited:\n" + seen);
            });
    try {
      return url.get(60, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      return fail("Chromium printed no DevTools address in 60 s:\n" + seen);
    }
  }

  /** The about:blank page's own socket, from the browser's /json/list. */
  private static URI pageTarget(URI browserSocket) throws Exception {
    URI list = URI.create("http://" + browserSocket.getAuthority() + "/json/list");
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(HttpRequest.newBuilder(list).build(), HttpResponse.BodyHandlers.ofString());
    for (JsonNode target : new ObjectMapper().readTree(response.body())) {
      if (target.path("type").asText().equals("page")) {
        return URI.create(target.path("webSocketDebuggerUrl").asText());
      }
    }
    return fail("no page target in " + response.body());
  }

  @Test
  void everyChartIsDrawn() {
    int figures = count(html, "<figure class=\"chart");
    assertTrue(figures >= 2, "the report has candle and price charts: " + figures);
    assertEquals(figures, charts.size(), charts.toString());
    for (JsonNode chart : charts) {
      String name = chart.path("caption").asText();
      assertEquals(1, chart.path("svgs").asInt(), name);
      assertTrue(chart.path("visible").asBoolean(), name);
      assertTrue(chart.path("width").asDouble() > 100, name + " width " + chart.path("width"));
      assertTrue(chart.path("height").asDouble() > 100, name + " height " + chart.path("height"));
      assertTrue(chart.path("shapes").asInt() > 10, name + " draws " + chart.path("shapes"));
    }
  }

  @Test
  void theConsoleHasNoError() {
    assertEquals(List.of(), reportVisit.consoleErrors());
  }

  @Test
  void thePageRequestsNothingButItsOwnFile() {
    assertEquals(List.of(report.toUri().toString()), reportVisit.requests());
  }

  /** The same checks on the probe page find its error and its request: they can fail. */
  @Test
  void theChecksSeeAConsoleErrorAndANetworkRequest() {
    assertTrue(
        probeVisit.consoleErrors().toString().contains("probe error"),
        probeVisit.consoleErrors().toString());
    assertTrue(
        probeVisit.requests().contains("http://198.51.100.7/probe.png"),
        probeVisit.requests().toString());
  }

  @Test
  void aScreenshotIsKept() throws Exception {
    assertTrue(png.length > 10_000, "PNG bytes: " + png.length);
    assertEquals("\u0089PNG", new String(png, 0, 4, StandardCharsets.ISO_8859_1));
    assertTrue(Files.size(SCREENSHOT) == png.length, SCREENSHOT.toString());
  }

  private static int count(String text, String needle) {
    int n = 0;
    for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
      n++;
    }
    return n;
  }
}
