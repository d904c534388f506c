package io.coinbeam.ingest;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WebSocket that stays open: it connects, hands every complete text message to a handler, and
 * when the connection closes, fails or falls silent, connects again after a back-off with full
 * jitter (reset once a connection has delivered messages). A message cut off by a dropped
 * connection is discarded, never handed on half; nothing is replayed, so each message the server
 * sent in full is handled exactly once.
 */
public final class ReconnectingSocket implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ReconnectingSocket.class);

  private final String name;
  private final HttpClient http;
  private final URI uri;
  private final String uriForLogs;
  private final Map<String, String> headers;
  private final Consumer<String> handler;
  private final Backoff backoff;
  private final Sleeper sleeper;
  private final Duration idleTimeout;
  private final IngestStats stats;
  private final List<String> greetings;
  private final Duration maxAge;
  private final AtomicInteger connections = new AtomicInteger();
  private volatile boolean closed;
  private volatile WebSocket current;
  private Thread thread;

  /**
   * @param name for logs and counters, e.g. {@code trades/binance}
   * @param uriForLogs the URI without secrets
   * @param greetings messages sent on every connection as soon as it is open (subscribe requests)
   * @param maxAge a connection older than this is replaced before the server's own lifetime cuts it
   *     (Binance: 24 hours); null: connections live as long as the server keeps them
   */
  public ReconnectingSocket(
      String name,
      URI uri,
      String uriForLogs,
      Map<String, String> headers,
      Consumer<String> handler,
      SocketContext context,
      List<String> greetings,
      Duration maxAge) {
    this.name = name;
    this.http = context.http();
    this.uri = uri;
    this.uriForLogs = uriForLogs;
    this.headers = Map.copyOf(headers);
    this.handler = handler;
    this.backoff = context.backoff();
    this.sleeper = context.sleeper();
    this.idleTimeout = context.idleTimeout();
    this.stats = context.stats();
    this.greetings = List.copyOf(greetings);
    this.maxAge = maxAge;
  }

  /** Starts connecting in a thread of its own. */
  public synchronized void start() {
    if (thread != null) {
      throw new IllegalStateException(name + " already started");
    }
    thread = new Thread(this::run, "socket-" + name);
    thread.setDaemon(true);
    thread.start();
  }

  /** Connections opened so far (1 + reconnects). */
  public int connections() {
    return connections.get();
  }

  private void run() {
    int failures = 0;
    while (!closed) {
      Listener listener = new Listener();
      try {
        WebSocket.Builder builder =
            http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(15));
        headers.forEach(builder::header);
        current = builder.buildAsync(uri, listener).get(30, TimeUnit.SECONDS);
        int n = connections.incrementAndGet();
        if (n > 1) {
          stats.increment(name + ".reconnects");
        }
        LOG.info("{}: connected to {}", name, uriForLogs);
        for (String greeting : greetings) {
          // One at a time: the JDK client refuses a send while another is under way.
          current.sendText(greeting, true).get(15, TimeUnit.SECONDS);
        }
        awaitEnd(listener);
      } catch (ExecutionException | TimeoutException e) {
        Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
        if (cause instanceof java.net.http.WebSocketHandshakeException handshake
            && (handshake.getResponse().statusCode() == 401
                || handshake.getResponse().statusCode() == 403)) {
          LOG.error(
              "{}: {} refused the API key (HTTP {}): check {}",
              name,
              uriForLogs,
              handshake.getResponse().statusCode(),
              IngestConfig.API_KEY);
        } else {
          LOG.warn("{}: could not connect to {}: {}", name, uriForLogs, cause.toString());
        }
        stats.increment(name + ".connectFailures");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      if (closed) {
        return;
      }
      failures = listener.messages > 0 ? 0 : failures + 1;
      Duration wait = backoff.delay(failures);
      LOG.warn(
          "{}: connection ended ({}); reconnecting in {} ms",
          name,
          listener.ending,
          wait.toMillis());
      try {
        sleeper.sleep(wait);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** Waits until the connection ends, aborting it when it has been silent too long. */
  private void awaitEnd(Listener listener) throws InterruptedException {
    long openedNanos = System.nanoTime();
    while (!closed) {
      try {
        listener.ended.get(250, TimeUnit.MILLISECONDS);
        return;
      } catch (TimeoutException e) {
        long silentNanos = System.nanoTime() - listener.lastActivityNanos;
        if (silentNanos > idleTimeout.toNanos()) {
          listener.ending = "no message for " + idleTimeout;
          current.abort();
          return;
        }
        if (maxAge != null && System.nanoTime() - openedNanos > maxAge.toNanos()) {
          listener.ending = "replaced after " + maxAge + ", before the server's connection limit";
          stats.increment(name + ".renewals");
          current.sendClose(WebSocket.NORMAL_CLOSURE, "renewing").exceptionally(failed -> null);
          current.abort();
          return;
        }
      } catch (ExecutionException e) {
        return;
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    WebSocket socket = current;
    if (socket != null) {
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").exceptionally(e -> null);
      socket.abort();
    }
    Thread running = thread;
    if (running != null) {
      running.interrupt();
      try {
        running.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Puts fragments together and reports how the connection ended. */
  private final class Listener implements WebSocket.Listener {
    final CompletableFuture<Void> ended = new CompletableFuture<>();
    final StringBuilder partial = new StringBuilder();
    volatile long lastActivityNanos = System.nanoTime();
    volatile long messages;
    volatile String ending = "closed";

    /**
     * One message more than needed is always requested: the JDK client (17) fails with an
     * InternalError, losing frames it has already read, when a connection ends at a moment when no
     * message is requested.
     */
    @Override
    public void onOpen(WebSocket webSocket) {
      webSocket.request(2);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      lastActivityNanos = System.nanoTime();
      partial.append(data);
      if (last) {
        String message = partial.toString();
        partial.setLength(0);
        messages++;
        stats.increment(name + ".messages");
        try {
          handler.accept(message);
        } catch (RuntimeException e) {
          // A handler failure (e.g. Kafka down) ends this connection; the loop decides what next.
          LOG.error("{}: could not handle a message: {}", name, e.toString());
          ending = "handler failed: " + e.getMessage();
          ended.complete(null);
          webSocket.abort();
          return null;
        }
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onPing(WebSocket webSocket, java.nio.ByteBuffer message) {
      lastActivityNanos = System.nanoTime();
      webSocket.request(1);
      return null; // the JDK answers the ping with a pong
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      ending = "closed with status " + statusCode + (reason.isEmpty() ? "" : " " + reason);
      dropPartial();
      ended.complete(null);
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      ending = "dropped: " + error;
      dropPartial();
      ended.complete(null);
    }

    private void dropPartial() {
      if (partial.length() > 0) {
        LOG.warn("{}: discarded a message cut off by the connection's end", name);
        stats.increment(name + ".cutMessages");
        partial.setLength(0);
      }
    }
  }
}
