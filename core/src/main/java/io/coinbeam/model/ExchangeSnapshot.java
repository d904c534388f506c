package io.coinbeam.model;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One row of CoinCap {@code /exchanges}. The id key was {@code id} in early v2 and is {@code
 * exchangeId} since; both are read.
 */
public record ExchangeSnapshot(
    String exchangeId,
    String name,
    Long rank,
    Double percentTotalVolume,
    Double volumeUsd,
    Long tradingPairs,
    Boolean socket,
    long observedAtMillis)
    implements Timestamped {

  public static ExchangeSnapshot parse(JsonNode row, long observedAtMillis)
      throws MalformedRecordException {
    return new ExchangeSnapshot(
        JsonFields.requiredText(row, "exchangeId", "id"),
        JsonFields.optionalText(row, "name"),
        JsonFields.optionalWholeNumber(row, "rank"),
        JsonFields.optionalNumber(row, "percentTotalVolume"),
        JsonFields.optionalNumber(row, "volumeUsd"),
        JsonFields.optionalWholeNumber(row, "tradingPairs"),
        JsonFields.optionalBoolean(row, "socket"),
        observedAtMillis);
  }

  @Override
  public long eventTimeMillis() {
    return observedAtMillis;
  }
}
