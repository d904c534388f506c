package io.coinbeam.ingest;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * A stand-in for CoinCap's REST API on loopback: each path answers from a script of responses, one
 * per request (the last one repeats), and every request is recorded with its headers.
 */
final class LoopbackHttpServer implements AutoCloseable {
  record Answer(int status, String body, Map<String, String> headers, long delayMillis) {
    static Answer ok(String body) {
      return new Answer(200, body, Map.of(), 0);
    }

    static Answer status(int status, String body) {
      return new Answer(status, body, Map.of(), 0);
    }
  }

  record Request(String path, String authorization) {}

  private final HttpServer server;
  private final Map<String, Deque<Answer>> scripts = new HashMap<>();
  private final List<Request> requests = new ArrayList<>();

  LoopbackHttpServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newFixedThreadPool(4));
    server.createContext("/", this::handle);
    server.start();
  }

  /** The base URL, e.g. http://127.0.0.1:5555/v3. */
  String base() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v3";
  }

  synchronized void script(String path, Answer... answers) {
    scripts.put("/v3" + path, new ArrayDeque<>(List.of(answers)));
  }

  synchronized List<Request> requests() {
    return List.copyOf(requests);
  }

  private void handle(HttpExchange exchange) throws IOException {
    Answer answer;
    synchronized (this) {
      String path = exchange.getRequestURI().getPath();
      requests.add(new Request(path, exchange.getRequestHeaders().getFirst("Authorization")));
      Deque<Answer> script = scripts.get(path);
      if (script == null || script.isEmpty()) {
        answer = Answer.status(404, "{\"error\":\"no such path\"}");
      } else {
        answer = script.size() > 1 ? script.poll() : script.peek();
      }
    }
    try {
      if (answer.delayMillis() > 0) {
        Thread.sleep(answer.delayMillis()); // longer than the client waits: a timeout
      }
      byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
      answer.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(answer.status(), body.length == 0 ? -1 : body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      // the client gave up (timeout): nothing to answer
    } finally {
      exchange.close();
    }
  }

  @Override
  public void close() {
    server.stop(0);
    ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
  }
}
