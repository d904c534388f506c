package io.coinbeam.transforms.aggregate;

import com.fasterxml.jackson.databind.JsonNode;
import io.coinbeam.catalog.CoinCapStream;
import io.coinbeam.model.AssetSnapshot;
import io.coinbeam.model.MalformedRecordException;
import io.coinbeam.rows.RowBuilder;
import java.util.List;
import org.apache.beam.sdk.values.Row;

/** The {@code assets} stream: price OHLC and mean per asset, and its last observed figures. */
public final class AssetStats extends SnapshotSpec<AssetSnapshot> {
  private static final long serialVersionUID = 1L;

  public AssetStats() {
    super(CoinCapStream.ASSETS, AssetSnapshot.class);
  }

  @Override
  public AssetSnapshot parseRow(JsonNode row, long observedAtMillis)
      throws MalformedRecordException {
    return AssetSnapshot.parse(row, observedAtMillis);
  }

  @Override
  public List<String> key(AssetSnapshot row) {
    return List.of(row.assetId());
  }

  @Override
  protected Row summarize(List<AssetSnapshot> observations, RowBuilder out) {
    AssetSnapshot last = PriceSeries.last(observations);
    return PriceSeries.ohlcAvg(out, "price_usd", observations, AssetSnapshot::priceUsd)
        .set("symbol", last.symbol())
        .set("name", last.name())
        .set("market_cap_usd", last.marketCapUsd())
        .set("volume_usd_24hr", last.volumeUsd24Hr())
        .set("supply", last.supply())
        .set("max_supply", last.maxSupply())
        .set("rank", last.rank())
        .set("change_percent_24hr", last.changePercent24Hr())
        .set("vwap_24hr", last.vwap24Hr())
        .set("observations", (long) observations.size())
        .build();
  }
}
