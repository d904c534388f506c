package io.coinbeam.model;

import com.fasterxml.jackson.databind.JsonNode;

/** One row of CoinCap {@code /assets}: an asset's market figures as observed at one moment. */
public record AssetSnapshot(
    String assetId,
    String symbol,
    String name,
    Long rank,
    Double supply,
    Double maxSupply,
    Double marketCapUsd,
    Double volumeUsd24Hr,
    double priceUsd,
    Double changePercent24Hr,
    Double vwap24Hr,
    long observedAtMillis)
    implements Timestamped {

  public static AssetSnapshot parse(JsonNode row, long observedAtMillis)
      throws MalformedRecordException {
    return new AssetSnapshot(
        JsonFields.requiredText(row, "id"),
        JsonFields.optionalText(row, "symbol"),
        JsonFields.optionalText(row, "name"),
        JsonFields.optionalWholeNumber(row, "rank"),
        JsonFields.optionalNumber(row, "supply"),
        JsonFields.optionalNumber(row, "maxSupply"),
        JsonFields.optionalNumber(row, "marketCapUsd"),
        JsonFields.optionalNumber(row, "volumeUsd24Hr"),
        JsonFields.requiredNumber(row, "priceUsd"),
        JsonFields.optionalNumber(row, "changePercent24Hr"),
        JsonFields.optionalNumber(row, "vwap24Hr"),
        observedAtMillis);
  }

  @Override
  public long eventTimeMillis() {
    return observedAtMillis;
  }
}
