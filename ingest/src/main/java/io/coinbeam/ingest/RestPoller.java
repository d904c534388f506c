package io.coinbeam.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import io.coinbeam.catalog.CoinCapStream;
import io.coinbeam.model.MalformedRecordException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls one CoinCap REST endpoint ({@code /assets}, {@code /rates}, {@code /exchanges}, {@code
 * /markets}) and turns the answer into Kafka rows and an archived envelope.
 *
 * <p>What can go wrong, and what it does: 429 waits as {@code Retry-After} says (else back-off) and
 * retries; 5xx, timeouts and broken connections back off with full jitter and retry, up to a limit
 * per poll; 401/403 and the v2 shutdown body raise {@link CoinCapRefusedException} (retrying cannot
 * fix a key or a URL); a body that is not an envelope is logged, counted and kept in the rejects
 * file, and the next poll goes on.
 */
public final class RestPoller {
  private static final Logger LOG = LoggerFactory.getLogger(RestPoller.class);

  /** How one poll ended. */
  public enum Status {
    /** Rows published and the envelope archived. */
    PUBLISHED,
    /** The answer was unusable (malformed body, unexpected status): rejected, logged, counted. */
    REJECTED,
    /** Every attempt failed with a retryable error. */
    GAVE_UP
  }

  /** The outcome of one poll: its status, the rows published and the HTTP requests made. */
  public record Outcome(Status status, int rows, int requests) {}

  private final IngestConfig config;
  private final HttpClient http;
  private final Duration requestTimeout;
  private final int maxAttempts;
  private final Backoff backoff;
  private final Sleeper sleeper;
  private final Clock clock;
  private final RowPublisher publisher;
  private final CaptureArchive archive;
  private final IngestStats stats;

  public RestPoller(
      IngestConfig config,
      HttpClient http,
      Duration requestTimeout,
      int maxAttempts,
      Backoff backoff,
      Sleeper sleeper,
      Clock clock,
      RowPublisher publisher,
      CaptureArchive archive,
      IngestStats stats) {
    this.config = config;
    this.http = http;
    this.requestTimeout = requestTimeout;
    this.maxAttempts = maxAttempts;
    this.backoff = backoff;
    this.sleeper = sleeper;
    this.clock = clock;
    this.publisher = publisher;
    this.archive = archive;
    this.stats = stats;
  }

  /** The endpoint of a stream, e.g. https://rest.coincap.io/v3/assets. */
  public URI endpoint(CoinCapStream stream) {
    return URI.create(config.restBase() + "/" + stream.id());
  }

  /** Polls {@code stream}'s endpoint once, retrying what is worth retrying. */
  public Outcome poll(CoinCapStream stream) throws CoinCapRefusedException, InterruptedException {
    String name = stream.id();
    URI uri = endpoint(stream);
    String where = "GET " + uri;
    stats.increment(name + ".polls");
    for (int attempt = 0; attempt < maxAttempts; attempt++) {
      if (attempt > 0) {
        stats.increment(name + ".retries");
      }
      Duration wait;
      HttpResponse<String> response;
      try {
        response =
            http.send(request(uri), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      } catch (HttpTimeoutException e) {
        wait = backoff.delay(attempt);
        LOG.warn(
            "{}: no answer within {}; retrying in {} ms", where, requestTimeout, wait.toMillis());
        stats.increment(name + ".timeouts");
        sleepUnlessLast(attempt, wait);
        continue;
      } catch (IOException e) {
        wait = backoff.delay(attempt);
        LOG.warn("{}: {}; retrying in {} ms", where, e.toString(), wait.toMillis());
        stats.increment(name + ".ioErrors");
        sleepUnlessLast(attempt, wait);
        continue;
      }
      int status = response.statusCode();
      if (status == 200) {
        return accept(stream, where, response.body(), attempt + 1);
      }
      if (status == 401 || status == 403) {
        stats.increment(name + ".authFailures");
        throw new CoinCapRefusedException(authMessage(status, where));
      }
      if (status == 429 || status >= 500) {
        Optional<Duration> asked = status == 429 ? retryAfter(response) : Optional.empty();
        wait = asked.isPresent() ? backoff.retryAfter(asked.get()) : backoff.delay(attempt);
        LOG.warn(
            "{}: HTTP {}{}; retrying in {} ms",
            where,
            status,
            status == 429 ? " (too many requests: over the credit or rate limit)" : "",
            wait.toMillis());
        stats.increment(name + (status == 429 ? ".throttled" : ".serverErrors"));
        sleepUnlessLast(attempt, wait);
        continue;
      }
      String error = "HTTP " + status;
      detectV2Shutdown(response.body(), where);
      LOG.error("{}: unexpected {}; body kept in the rejects file", where, error);
      reject(name, where, error, response.body());
      return new Outcome(Status.REJECTED, 0, attempt + 1);
    }
    LOG.error("{}: gave up after {} attempts; the next poll tries again", where, maxAttempts);
    stats.increment(name + ".gaveUp");
    return new Outcome(Status.GAVE_UP, 0, maxAttempts);
  }

  private HttpRequest request(URI uri) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri)
            .timeout(requestTimeout)
            .header("Accept", "application/json")
            .GET();
    if (config.hasApiKey()) {
      request.header("Authorization", "Bearer " + config.apiKey());
    }
    return request.build();
  }

  private Outcome accept(CoinCapStream stream, String where, String body, int requests)
      throws CoinCapRefusedException {
    String name = stream.id();
    detectV2Shutdown(body, where);
    CaptureRows.EnvelopeRows envelope;
    try {
      envelope = CaptureRows.fromEnvelope(stream, body);
    } catch (MalformedRecordException e) {
      LOG.error("{}: unusable body ({}); kept in the rejects file", where, e.getMessage());
      reject(name, where, e.getMessage(), body);
      return new Outcome(Status.REJECTED, 0, requests);
    }
    archive.append(name, envelope.envelope());
    for (KafkaRow row : envelope.rows()) {
      publisher.publish(row);
    }
    stats.add(name + ".rows", envelope.rows().size());
    LOG.info(
        "{}: {} rows observed at {}", where, envelope.rows().size(), envelope.timestampMillis());
    return new Outcome(Status.PUBLISHED, envelope.rows().size(), requests);
  }

  /**
   * Since 2025-03-31 CoinCap v2 answers every request with {@code {"data": {"message": "We are
   * deprecating ..."}}}: no data will ever come from there, so it is a configuration error.
   */
  private void detectV2Shutdown(String body, String where) throws CoinCapRefusedException {
    JsonNode document;
    try {
      document = CaptureRows.readJson(body);
    } catch (MalformedRecordException e) {
      return;
    }
    JsonNode data = document.get("data");
    if (data != null && data.isObject() && data.size() == 1 && data.has("message")) {
      String message = data.get("message").asText();
      reject("v2", where, "v2 shutdown body", body);
      throw new CoinCapRefusedException(
          where
              + " answered with CoinCap's v2 shutdown notice instead of data (\""
              + message
              + "\"). The v2 API was shut down on 2025-03-31: set "
              + IngestConfig.REST_URL
              + "=https://rest.coincap.io/v3 and "
              + IngestConfig.API_KEY
              + " to a v3 API key.");
    }
  }

  private String authMessage(int status, String where) {
    String problem =
        config.hasApiKey()
            ? "CoinCap refused the API key in " + IngestConfig.API_KEY
            : IngestConfig.API_KEY + " is not set, and CoinCap v3 needs an API key";
    return where
        + " answered HTTP "
        + status
        + ": "
        + problem
        + ". Get or check a key at https://pro.coincap.io/dashboard and export "
        + IngestConfig.API_KEY
        + "=<key>.";
  }

  private void reject(String stream, String where, String error, String body) {
    stats.increment(stream + ".rejects");
    archive.reject(stream, where, error, body);
  }

  private void sleepUnlessLast(int attempt, Duration wait) throws InterruptedException {
    if (attempt + 1 < maxAttempts) {
      sleeper.sleep(wait);
    }
  }

  /** Retry-After as seconds or as an HTTP date; absent or unreadable: empty. */
  private Optional<Duration> retryAfter(HttpResponse<?> response) {
    Optional<String> header = response.headers().firstValue("Retry-After");
    if (header.isEmpty()) {
      return Optional.empty();
    }
    String value = header.get().trim();
    try {
      return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(value))));
    } catch (NumberFormatException e) {
      try {
        ZonedDateTime at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME);
        Duration wait = Duration.between(clock.instant(), at.toInstant());
        return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
      } catch (DateTimeParseException ignored) {
        return Optional.empty();
      }
    }
  }
}
