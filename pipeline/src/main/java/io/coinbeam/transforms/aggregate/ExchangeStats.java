package io.coinbeam.transforms.aggregate;

import com.fasterxml.jackson.databind.JsonNode;
import io.coinbeam.catalog.CoinCapStream;
import io.coinbeam.model.ExchangeSnapshot;
import io.coinbeam.model.MalformedRecordException;
import io.coinbeam.rows.RowBuilder;
import java.util.List;
import org.apache.beam.sdk.values.Row;

/** The {@code exchanges} stream: each exchange's last figures and its mean 24-hour volume. */
public final class ExchangeStats extends SnapshotSpec<ExchangeSnapshot> {
  private static final long serialVersionUID = 1L;

  public ExchangeStats() {
    super(CoinCapStream.EXCHANGES, ExchangeSnapshot.class);
  }

  @Override
  public ExchangeSnapshot parseRow(JsonNode row, long observedAtMillis)
      throws MalformedRecordException {
    return ExchangeSnapshot.parse(row, observedAtMillis);
  }

  @Override
  public List<String> key(ExchangeSnapshot row) {
    return List.of(row.exchangeId());
  }

  @Override
  protected Row summarize(List<ExchangeSnapshot> observations, RowBuilder out) {
    ExchangeSnapshot last = PriceSeries.last(observations);
    ExactSum volumes = new ExactSum();
    int reported = 0;
    for (ExchangeSnapshot row : observations) {
      if (row.volumeUsd() != null) {
        volumes.add(row.volumeUsd());
        reported++;
      }
    }
    return out.set("name", last.name())
        .set("rank", last.rank())
        .set("volume_usd_24hr", last.volumeUsd())
        .set("volume_usd_24hr_avg", reported == 0 ? null : volumes.dividedBy(reported))
        .set("percent_total_volume", last.percentTotalVolume())
        .set("trading_pairs", last.tradingPairs())
        .set("socket", last.socket())
        .set("observations", (long) observations.size())
        .build();
  }
}
