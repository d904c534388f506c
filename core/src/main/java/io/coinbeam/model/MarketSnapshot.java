package io.coinbeam.model;

import com.fasterxml.jackson.databind.JsonNode;

/** One row of CoinCap {@code /markets}: one trading pair on one exchange. */
public record MarketSnapshot(
    String exchangeId,
    String baseId,
    String quoteId,
    String baseSymbol,
    String quoteSymbol,
    Double priceQuote,
    double priceUsd,
    Double volumeUsd24Hr,
    Double percentExchangeVolume,
    Long tradesCount24Hr,
    long observedAtMillis)
    implements Timestamped {

  public static MarketSnapshot parse(JsonNode row, long observedAtMillis)
      throws MalformedRecordException {
    double priceUsd = JsonFields.requiredNumber(row, "priceUsd");
    if (priceUsd < 0) {
      throw new MalformedRecordException("priceUsd: must not be negative, got " + priceUsd);
    }
    return new MarketSnapshot(
        JsonFields.requiredText(row, "exchangeId"),
        JsonFields.requiredText(row, "baseId"),
        JsonFields.requiredText(row, "quoteId"),
        JsonFields.optionalText(row, "baseSymbol"),
        JsonFields.optionalText(row, "quoteSymbol"),
        JsonFields.optionalNumber(row, "priceQuote"),
        priceUsd,
        JsonFields.optionalNumber(row, "volumeUsd24Hr"),
        JsonFields.optionalNumber(row, "percentExchangeVolume"),
        JsonFields.optionalWholeNumber(row, "tradesCount24Hr"),
        observedAtMillis);
  }

  @Override
  public long eventTimeMillis() {
    return observedAtMillis;
  }
}
