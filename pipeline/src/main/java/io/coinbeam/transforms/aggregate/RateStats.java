package io.coinbeam.transforms.aggregate;

import com.fasterxml.jackson.databind.JsonNode;
import io.coinbeam.catalog.CoinCapStream;
import io.coinbeam.model.MalformedRecordException;
import io.coinbeam.model.RateSnapshot;
import io.coinbeam.rows.RowBuilder;
import java.util.List;
import org.apache.beam.sdk.values.Row;

/** The {@code rates} stream: each currency's USD rate as OHLC and mean. */
public final class RateStats extends SnapshotSpec<RateSnapshot> {
  private static final long serialVersionUID = 1L;

  public RateStats() {
    super(CoinCapStream.RATES, RateSnapshot.class);
  }

  @Override
  public RateSnapshot parseRow(JsonNode row, long observedAtMillis)
      throws MalformedRecordException {
    return RateSnapshot.parse(row, observedAtMillis);
  }

  @Override
  public List<String> key(RateSnapshot row) {
    return List.of(row.rateId());
  }

  @Override
  protected Row summarize(List<RateSnapshot> observations, RowBuilder out) {
    RateSnapshot last = PriceSeries.last(observations);
    return PriceSeries.ohlcAvg(out, "rate_usd", observations, RateSnapshot::rateUsd)
        .set("symbol", last.symbol())
        .set("currency_symbol", last.currencySymbol())
        .set("type", last.type())
        .set("observations", (long) observations.size())
        .build();
  }
}
