package io.coinbeam.transforms.aggregate;

import com.fasterxml.jackson.databind.JsonNode;
import io.coinbeam.catalog.CoinCapStream;
import io.coinbeam.model.MalformedRecordException;
import io.coinbeam.model.MarketSnapshot;
import io.coinbeam.rows.RowBuilder;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.values.Row;

/**
 * The {@code markets} stream: one pair across exchanges, from each exchange's last observation in
 * the window: how many list it, their summed volume, the volume-weighted price, and the spread.
 */
public final class MarketStats extends SnapshotSpec<MarketSnapshot> {
  private static final long serialVersionUID = 1L;

  public MarketStats() {
    super(CoinCapStream.MARKETS, MarketSnapshot.class);
  }

  @Override
  public MarketSnapshot parseRow(JsonNode row, long observedAtMillis)
      throws MalformedRecordException {
    return MarketSnapshot.parse(row, observedAtMillis);
  }

  @Override
  public List<String> key(MarketSnapshot row) {
    return List.of(row.baseId(), row.quoteId());
  }

  @Override
  protected String discriminator(MarketSnapshot row) {
    return row.exchangeId();
  }

  @Override
  protected Row summarize(List<MarketSnapshot> observations, RowBuilder out) {
    // Oldest first, so the last put per exchange is its latest; sorted by exchange id.
    Map<String, MarketSnapshot> latest = new TreeMap<>();
    observations.forEach(row -> latest.put(row.exchangeId(), row));

    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    ExactSum volume = new ExactSum();
    ExactSum weightedPrice = new ExactSum();
    boolean anyVolume = false;
    long trades = 0;
    boolean anyTrades = false;
    String top = null;
    double topVolume = Double.NEGATIVE_INFINITY;
    for (MarketSnapshot market : latest.values()) {
      min = Math.min(min, market.priceUsd());
      max = Math.max(max, market.priceUsd());
      Double v = market.volumeUsd24Hr();
      if (v != null) {
        anyVolume = true;
        volume.add(v);
        weightedPrice.addProduct(market.priceUsd(), v);
        if (v > topVolume) { // strict: on a tie the smaller exchange id, seen first, stays
          topVolume = v;
          top = market.exchangeId();
        }
      }
      if (market.tradesCount24Hr() != null) {
        anyTrades = true;
        trades += market.tradesCount24Hr();
      }
    }
    double totalVolume = volume.value();
    MarketSnapshot last = PriceSeries.last(observations);
    return out.set("base_symbol", last.baseSymbol())
        .set("quote_symbol", last.quoteSymbol())
        .set("exchange_count", (long) latest.size())
        .set("volume_usd_24hr", anyVolume ? totalVolume : null)
        .set("price_usd_vwap", totalVolume > 0 ? weightedPrice.dividedBy(volume) : null)
        .set("price_usd_min", min)
        .set("price_usd_max", max)
        .set("spread_pct", min > 0 ? (max - min) / min * 100.0 : null)
        .set("trades_count_24hr", anyTrades ? trades : null)
        .set("top_exchange_id", top)
        .set("observations", (long) observations.size())
        .build();
  }
}
