package io.coinbeam.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Chrome DevTools protocol client for one page target, over the JDK's WebSocket. It exists
 * because what a reader of the report would notice (console errors, requests the page makes, how
 * big a chart is drawn) is only visible from inside the browser: --dump-dom and --screenshot report
 * none of it. Commands wait for their reply; every event is kept for the test to read.
 */
final class DevToolsSession implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(60);

  private final WebSocket socket;
  private final AtomicInteger ids = new AtomicInteger();
  private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
  private final List<JsonNode> events = new CopyOnWriteArrayList<>();

  private DevToolsSession(WebSocket socket) {
    this.socket = socket;
  }

  /** Connects to a target's webSocketDebuggerUrl. */
  static DevToolsSession connect(URI debuggerUrl) throws Exception {
    DevToolsSession[] self = new DevToolsSession[1];
    WebSocket socket =
        HttpClient.newHttpClient()
            .newWebSocketBuilder()
            .connectTimeout(Duration.ofSeconds(30))
            .buildAsync(
                debuggerUrl,
                new WebSocket.Listener() {
                  private final StringBuilder message = new StringBuilder();

                  @Override
                  public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                    message.append(data);
                    if (last) {
                      self[0].receive(message.toString());
                      message.setLength(0);
                    }
                    ws.request(1);
                    return null;
                  }
                })
            .get(30, TimeUnit.SECONDS);
    self[0] = new DevToolsSession(socket);
    return self[0];
  }

  private void receive(String text) {
    try {
      JsonNode message = JSON.readTree(text);
      if (message.has("id")) {
        CompletableFuture<JsonNode> reply = pending.remove(message.get("id").asInt());
        if (reply != null) {
          reply.complete(message);
        }
      } else {
        events.add(message);
      }
    } catch (Exception e) {
      events.add(JSON.createObjectNode().put("method", "unreadable").put("text", text));
    }
  }

  /** Sends a command and returns its result; a protocol error fails with its message. */
  JsonNode send(String method, Map<String, Object> params) throws Exception {
    int id = ids.incrementAndGet();
    CompletableFuture<JsonNode> reply = new CompletableFuture<>();
    pending.put(id, reply);
    ObjectNode command = JSON.createObjectNode().put("id", id).put("method", method);
    command.set("params", JSON.valueToTree(params));
    socket.sendText(JSON.writeValueAsString(command), true).get(30, TimeUnit.SECONDS);
    JsonNode answer = reply.get(REPLY_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    if (answer.has("error")) {
      throw new IllegalStateException(method + ": " + answer.get("error"));
    }
    return answer.path("result");
  }

  /** Every event received so far whose method is one of these. */
  List<JsonNode> events(String... methods) {
    List<String> wanted = List.of(methods);
    return events.stream().filter(e -> wanted.contains(e.path("method").asText())).toList();
  }

  /** Forgets the events received so far, so that the next page's are its own. */
  void forgetEvents() {
    events.clear();
  }

  /** Waits until an event with this method has arrived, or fails after the timeout. */
  void await(String method, Duration timeout) throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    while (events(method).isEmpty()) {
      if (System.nanoTime() > end) {
        throw new IllegalStateException("no " + method + " in " + timeout);
      }
      Thread.sleep(50);
    }
  }

  @Override
  public void close() {
    socket.abort();
  }
}
