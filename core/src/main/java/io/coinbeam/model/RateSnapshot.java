package io.coinbeam.model;

import com.fasterxml.jackson.databind.JsonNode;

/** One row of CoinCap {@code /rates}: a fiat or crypto currency's value in US dollars. */
public record RateSnapshot(
    String rateId,
    String symbol,
    String currencySymbol,
    String type,
    double rateUsd,
    long observedAtMillis)
    implements Timestamped {

  public static RateSnapshot parse(JsonNode row, long observedAtMillis)
      throws MalformedRecordException {
    double rateUsd = JsonFields.requiredNumber(row, "rateUsd");
    if (rateUsd < 0) {
      throw new MalformedRecordException("rateUsd: must not be negative, got " + rateUsd);
    }
    return new RateSnapshot(
        JsonFields.requiredText(row, "id"),
        JsonFields.optionalText(row, "symbol"),
        JsonFields.optionalText(row, "currencySymbol"),
        JsonFields.optionalText(row, "type"),
        rateUsd,
        observedAtMillis);
  }

  @Override
  public long eventTimeMillis() {
    return observedAtMillis;
  }
}
