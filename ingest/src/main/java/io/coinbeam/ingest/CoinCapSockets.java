package io.coinbeam.ingest;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The CoinCap sockets the ingester keeps open: one trades socket per exchange ({@code
 * <COINCAP_TRADES_WS_URL>/<exchange>}) and the v3 prices socket ({@code
 * <COINCAP_PRICES_WS_URL>?assets=...&apiKey=...}). The key also goes in an {@code Authorization}
 * header; logs show the URL with the key masked.
 */
public final class CoinCapSockets {
  private final IngestConfig config;
  private final SocketContext context;

  public CoinCapSockets(IngestConfig config, SocketContext context) {
    this.config = config;
    this.context = context;
  }

  /** The trades socket of one exchange (not started). */
  public ReconnectingSocket trades(String exchange) {
    URI uri = URI.create(withoutSlash(config.tradesSocketUrl()) + "/" + encode(exchange));
    String name = "trades/" + exchange;
    return new ReconnectingSocket(
        name,
        uri,
        uri.toString(),
        authHeader(),
        SocketHandlers.trades(name, context.publisher(), context.archive(), context.stats()),
        context,
        List.of(),
        null);
  }

  /** The prices socket for the configured assets (not started). */
  public ReconnectingSocket prices() {
    String base =
        withoutSlash(config.pricesSocketUrl())
            + "?assets="
            + encode(String.join(",", config.assets()));
    String uri = config.hasApiKey() ? base + "&apiKey=" + encode(config.apiKey()) : base;
    String forLogs = config.hasApiKey() ? base + "&apiKey=***" : base;
    return new ReconnectingSocket(
        SocketHandlers.PRICES,
        URI.create(uri),
        forLogs,
        authHeader(),
        SocketHandlers.prices(
            SocketHandlers.PRICES,
            context.publisher(),
            context.archive(),
            context.stats(),
            context.clock()),
        context,
        List.of(),
        null);
  }

  private Map<String, String> authHeader() {
    Map<String, String> headers = new HashMap<>();
    if (config.hasApiKey()) {
      headers.put("Authorization", "Bearer " + config.apiKey());
    }
    return headers;
  }

  private static String withoutSlash(URI uri) {
    String text = uri.toString();
    return text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
  }

  /** Query and path parts; commas stay readable (CoinCap's own examples use them). */
  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("%2C", ",");
  }
}
