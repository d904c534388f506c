package io.coinbeam.transforms.aggregate;

import com.fasterxml.jackson.databind.JsonNode;
import io.coinbeam.model.ExchangeSnapshot;
import io.coinbeam.model.MalformedRecordException;
import java.util.List;
import org.apache.beam.sdk.values.Row;

/** The {@code exchanges} stream: each exchange's last figures and its mean 24-hour volume. */
public final class ExchangeStats extends SnapshotSpec<ExchangeSnapshot> {
  private static final long serialVersionUID = 1L;

  public ExchangeStats() {
    super("exchanges", "exchange_stats", ExchangeSnapshot.class);
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
  protected Row summarize(List<ExchangeSnapshot> observations, Row.FieldValueBuilder out) {
    ExchangeSnapshot last = PriceSeries.last(observations);
    ExactSum volumes = new ExactSum();
    int reported = 0;
    for (ExchangeSnapshot row : observations) {
      if (row.volumeUsd() != null) {
        volumes.add(row.volumeUsd());
        reported++;
      }
    }
    return out.withFieldValue("name", last.name())
        .withFieldValue("rank", last.rank())
        .withFieldValue("volume_usd_24hr", last.volumeUsd())
        .withFieldValue("volume_usd_24hr_avg", reported == 0 ? null : volumes.dividedBy(reported))
        .withFieldValue("percent_total_volume", last.percentTotalVolume())
        .withFieldValue("trading_pairs", last.tradingPairs())
        .withFieldValue("socket", last.socket())
        .withFieldValue("observations", (long) observations.size())
        .build();
  }
}
