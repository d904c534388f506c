package io.coinbeam.ingest;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A minimal WebSocket server (RFC 6455) on loopback, standing in for CoinCap's sockets: the
 * handshake, then unmasked text frames from a script, one script per connection, ending with the
 * connection held open, closed properly or dropped without a close frame. What the client sends is
 * read too: its text messages (subscribe requests) and pongs are kept per connection, and a script
 * may wait for them ({@link AwaitReceived}) or send a ping ({@link Ping}).
 */
final class LoopbackWebSocketServer implements AutoCloseable {
  private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

  /** One step of a connection's script. */
  sealed interface Step permits Text, Fragment, Drop, Hold, CloseFrame, Ping, AwaitReceived {}

  /** A ping frame with this payload; the client must answer with a pong carrying it. */
  record Ping(String payload) implements Step {}

  /** Wait until the client has sent this many text messages on this connection. */
  record AwaitReceived(int messages) implements Step {}

  /** A whole text message in one frame. */
  record Text(String message) implements Step {}

  /** A text message split in two frames (a first frame and a continuation). */
  record Fragment(String first, String rest, boolean sendRest) implements Step {}

  /**
   * Close the TCP connection without a close frame, as a network failure would, once {@code
   * delivered} is true. The JDK client (17) loses the last frames it read when the end of the
   * stream comes in the same read (an InternalError inside the client), so the test says when the
   * frames it sent have arrived.
   */
  record Drop(java.util.function.BooleanSupplier delivered) implements Step {}

  /** Keep the connection open until the server is closed. */
  record Hold() implements Step {}

  /** A proper close frame (1000), then close. */
  record CloseFrame() implements Step {}

  private final ServerSocket server;
  private final List<List<Step>> scripts;
  private final List<String> requestTargets = new CopyOnWriteArrayList<>();
  private final List<String> authorizations = new CopyOnWriteArrayList<>();
  private final List<Socket> open = new CopyOnWriteArrayList<>();
  private final List<List<String>> received = new CopyOnWriteArrayList<>();
  private final List<String> pongs = new CopyOnWriteArrayList<>();
  private final Thread acceptor;
  private volatile boolean closed;

  LoopbackWebSocketServer(List<List<Step>> scripts) throws IOException {
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.scripts = new ArrayList<>(scripts);
    this.acceptor = new Thread(this::acceptLoop, "loopback-ws");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** ws://127.0.0.1:port */
  String base() {
    return "ws://127.0.0.1:" + server.getLocalPort();
  }

  /** The request target (path and query) of each connection so far. */
  List<String> requestTargets() {
    return List.copyOf(requestTargets);
  }

  /** The text messages the client sent, per connection in the order connected. */
  List<List<String>> received() {
    List<List<String>> copy = new ArrayList<>();
    received.forEach(messages -> copy.add(List.copyOf(messages)));
    return copy;
  }

  /** The payloads of the pongs the client sent, on any connection. */
  List<String> pongs() {
    return List.copyOf(pongs);
  }

  List<String> authorizations() {
    return List.copyOf(authorizations);
  }

  private void acceptLoop() {
    int index = 0;
    while (!closed) {
      try {
        Socket socket = server.accept();
        open.add(socket);
        List<Step> script = index < scripts.size() ? scripts.get(index) : List.of(new Hold());
        index++;
        Thread connection = new Thread(() -> serve(socket, script), "loopback-ws-" + index);
        connection.setDaemon(true);
        connection.start();
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void serve(Socket socket, List<Step> script) {
    try {
      BufferedReader in = handshake(socket);
      List<String> messages = new CopyOnWriteArrayList<>();
      received.add(messages);
      Thread reader = new Thread(() -> readClient(in, messages), "loopback-ws-reader");
      reader.setDaemon(true);
      reader.start();
      OutputStream out = socket.getOutputStream();
      for (Step step : script) {
        if (step instanceof Ping ping) {
          frame(out, true, 0x9, ping.payload());
        } else if (step instanceof AwaitReceived await) {
          long deadline = System.nanoTime() + 30_000_000_000L;
          while (messages.size() < await.messages() && System.nanoTime() < deadline) {
            Thread.sleep(10);
          }
        } else if (step instanceof Text text) {
          frame(out, true, 0x1, text.message());
        } else if (step instanceof Fragment fragment) {
          frame(out, false, 0x1, fragment.first());
          if (fragment.sendRest()) {
            frame(out, true, 0x0, fragment.rest());
          }
        } else if (step instanceof Drop drop) {
          long deadline = System.nanoTime() + 30_000_000_000L;
          while (!drop.delivered().getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(10);
          }
          // End the TCP stream without a close frame. (A reset would be harsher still, but it lets
          // the client's kernel discard frames already sent, so the test could not know what
          // the client was given.)
          out.flush();
          socket.shutdownOutput();
          Thread.sleep(200);
          socket.close();
          return;
        } else if (step instanceof CloseFrame) {
          out.write(new byte[] {(byte) 0x88, 2, 0x03, (byte) 0xE8});
          out.flush();
          Thread.sleep(200);
          socket.close();
          return;
        } else if (step instanceof Hold) {
          while (!closed) {
            Thread.sleep(50);
          }
          return;
        }
        out.flush();
      }
    } catch (IOException | InterruptedException e) {
      // the client went away or the server closed: nothing more to send
    }
  }

  /**
   * Reads the client's frames (masked, RFC 6455 5.3) until the connection ends. The handshake's
   * reader goes on: ISO-8859-1 maps each byte to one char, so its chars are the frame bytes.
   */
  private void readClient(BufferedReader in, List<String> messages) {
    try {
      while (true) {
        int first = in.read();
        int second = in.read();
        if (first < 0 || second < 0) {
          return;
        }
        long length = second & 0x7F;
        int extra = length == 126 ? 2 : length == 127 ? 8 : 0;
        if (extra > 0) {
          length = 0;
          for (int i = 0; i < extra; i++) {
            length = (length << 8) | in.read();
          }
        }
        int[] mask = new int[4];
        for (int i = 0; i < 4 && (second & 0x80) != 0; i++) {
          mask[i] = in.read();
        }
        byte[] payload = new byte[(int) length];
        for (int i = 0; i < length; i++) {
          payload[i] = (byte) (in.read() ^ mask[i % 4]);
        }
        String text = new String(payload, StandardCharsets.UTF_8);
        switch (first & 0x0F) {
          case 0x1 -> messages.add(text);
          case 0xA -> pongs.add(text);
          case 0x8 -> {
            return;
          }
          default -> {
            // continuation and other frames: the tests send none
          }
        }
      }
    } catch (IOException e) {
      // the connection ended
    }
  }

  private BufferedReader handshake(Socket socket) throws IOException {
    BufferedReader in =
        new BufferedReader(
            new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
    String requestLine = in.readLine();
    String key = null;
    String authorization = null;
    String line;
    while ((line = in.readLine()) != null && !line.isEmpty()) {
      int colon = line.indexOf(':');
      if (colon > 0) {
        String name = line.substring(0, colon).trim();
        String value = line.substring(colon + 1).trim();
        if (name.equalsIgnoreCase("Sec-WebSocket-Key")) {
          key = value;
        } else if (name.equalsIgnoreCase("Authorization")) {
          authorization = value;
        }
      }
    }
    requestTargets.add(requestLine == null ? "" : requestLine.split(" ")[1]);
    authorizations.add(String.valueOf(authorization));
    String accept;
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-1")
              .digest((key + GUID).getBytes(StandardCharsets.ISO_8859_1));
      accept = Base64.getEncoder().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    String response =
        "HTTP/1.1 101 Switching Protocols\r\n"
            + "Upgrade: websocket\r\n"
            + "Connection: Upgrade\r\n"
            + "Sec-WebSocket-Accept: "
            + accept
            + "\r\n\r\n";
    socket.getOutputStream().write(response.getBytes(StandardCharsets.ISO_8859_1));
    socket.getOutputStream().flush();
    return in;
  }

  /** One unmasked frame (servers never mask). */
  private static void frame(OutputStream out, boolean fin, int opcode, String text)
      throws IOException {
    byte[] payload = text.getBytes(StandardCharsets.UTF_8);
    out.write((fin ? 0x80 : 0) | opcode);
    if (payload.length < 126) {
      out.write(payload.length);
    } else if (payload.length < 65536) {
      out.write(126);
      out.write(payload.length >>> 8);
      out.write(payload.length & 0xFF);
    } else {
      out.write(127);
      for (int shift = 56; shift >= 0; shift -= 8) {
        out.write((int) ((long) payload.length >>> shift) & 0xFF);
      }
    }
    out.write(payload);
  }

  @Override
  public void close() throws IOException {
    closed = true;
    server.close();
    for (Socket socket : open) {
      socket.close();
    }
  }
}
