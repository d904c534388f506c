package io.coinbeam.ingest;

import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;

/**
 * What every socket the ingester keeps open shares, whatever it reads (CoinCap's trades and prices
 * sockets, the exchange feeds): the HTTP client, where rows and captures go, the counters, how it
 * backs off and waits, the clock, and how long a silent connection is kept. One value, so each kind
 * of socket takes it whole instead of repeating eight parameters.
 *
 * @param idleTimeout a connection with no message (nor ping) for this long is dropped and reopened
 */
public record SocketContext(
    HttpClient http,
    RowPublisher publisher,
    CaptureArchive archive,
    IngestStats stats,
    Backoff backoff,
    Sleeper sleeper,
    Clock clock,
    Duration idleTimeout) {

  /** The same, with another idle timeout (feeds with heartbeats can be held to a shorter one). */
  public SocketContext withIdleTimeout(Duration timeout) {
    return new SocketContext(http, publisher, archive, stats, backoff, sleeper, clock, timeout);
  }
}
