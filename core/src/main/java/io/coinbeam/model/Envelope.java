package io.coinbeam.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A CoinCap REST response: {@code {"data": [...] | {...}, "timestamp": <epoch ms>}}. The timestamp
 * is the observation time of every row in it.
 */
public record Envelope(List<JsonNode> rows, long timestampMillis) {

  /** The message of the body that CoinCap v2 has answered with since its shutdown. */
  static final String V2_SHUTDOWN_HINT =
      "CoinCap answered with a message instead of data: the v2 API was shut down on 2025-03-31;"
          + " point the ingester at v3 (https://rest.coincap.io/v3) with an API key";

  public static Envelope parse(JsonNode document) throws MalformedRecordException {
    if (!document.isObject()) {
      throw new MalformedRecordException(
          "expected a CoinCap envelope (a JSON object), got " + document.getNodeType());
    }
    JsonNode error = document.get("error");
    if (error != null && !error.isNull()) {
      throw new MalformedRecordException("CoinCap answered with an error: " + error.asText());
    }
    JsonNode data = document.get("data");
    if (data == null || data.isNull()) {
      throw new MalformedRecordException("not a CoinCap envelope: no \"data\"");
    }
    List<JsonNode> rows = new ArrayList<>();
    if (data.isArray()) {
      data.forEach(rows::add);
    } else if (data.isObject()) {
      JsonNode message = data.get("message");
      if (message != null && data.size() == 1) {
        throw new MalformedRecordException(V2_SHUTDOWN_HINT + ": \"" + message.asText() + "\"");
      }
      rows.add(data); // a single-item endpoint such as /assets/{id}
    } else {
      throw new MalformedRecordException(
          "\"data\" must be an array or an object, got " + data.getNodeType());
    }
    return new Envelope(rows, JsonFields.requiredEpochMillis(document, "timestamp"));
  }
}
