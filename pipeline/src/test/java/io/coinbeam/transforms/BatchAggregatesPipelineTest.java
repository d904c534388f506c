package io.coinbeam.transforms;

import io.coinbeam.model.AssetSnapshot;
import io.coinbeam.model.MarketSnapshot;
import io.coinbeam.model.Side;
import io.coinbeam.model.Timestamped;
import io.coinbeam.model.TradeMessage;
import io.coinbeam.rows.BeamSchemas;
import io.coinbeam.testing.BeamPipelineExtension;
import io.coinbeam.transforms.aggregate.AssetStats;
import io.coinbeam.transforms.aggregate.MarketStats;
import io.coinbeam.transforms.aggregate.TradeCandles;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * ComputeAggregates in batch on the DirectRunner: rows with event timestamps in, whole table rows
 * (key, window, measures, null pane columns) out, values worked out by hand.
 */
class BatchAggregatesPipelineTest {
  /** 2024-05-07T10:00:00Z: a minute and a five-minute boundary. */
  static final long T0 = 1_715_076_000_000L;

  @RegisterExtension final BeamPipelineExtension beam = new BeamPipelineExtension();

  private <T extends Record & Timestamped> PCollection<Row> aggregate(
      StreamSpec<T> spec, List<T> rows, Duration window) {
    List<TimestampedValue<T>> timed = new ArrayList<>();
    for (T row : rows) {
      timed.add(TimestampedValue.of(row, new Instant(row.eventTimeMillis())));
    }
    PCollection<T> input =
        rows.isEmpty()
            ? beam.pipeline().apply(Create.empty(spec.coder()))
            : beam.pipeline().apply(Create.timestamped(timed).withCoder(spec.coder()));
    return input.apply(new ComputeAggregates<>(spec, Windowing.batch(), window));
  }

  /** A table row from column values; unnamed nullable columns (the panes, in batch) stay null. */
  private static Row tableRow(StreamSpec<?> spec, Map<String, Object> values) {
    return Row.withSchema(BeamSchemas.of(spec.table())).withFieldValues(values).build();
  }

  static TradeMessage trade(String exchange, Side side, double price, double volume, long at) {
    return new TradeMessage(exchange, "bitcoin", "tether", side, price, volume, price, at);
  }

  @Test
  void tradesSpanningTwoWindowsAndTwoExchanges() {
    TradeCandles spec = new TradeCandles();
    List<TradeMessage> trades =
        List.of(
            trade("binance", Side.BUY, 100.0, 1.0, T0 + 10_000),
            trade("binance", Side.SELL, 98.0, 3.0, T0 + 50_000),
            trade("binance", Side.SELL, 99.0, 0.5, T0 + 60_000), // the next minute starts here
            trade("binance", Side.BUY, 101.0, 1.5, T0 + 119_999),
            trade("kraken", Side.BUY, 100.5, 2.0, T0 + 30_000));

    Map<String, Object> first = new HashMap<>();
    first.put("exchange", "binance");
    first.put("base", "bitcoin");
    first.put("quote", "tether");
    first.put("window_start", new Instant(T0));
    first.put("window_end", new Instant(T0 + 60_000));
    first.put("open", 100.0);
    first.put("high", 100.0);
    first.put("low", 98.0);
    first.put("close", 98.0);
    first.put("volume", 4.0); // 1 + 3
    first.put("volume_usd", 394.0); // 100*1 + 98*3
    first.put("vwap", 98.5); // 394 / 4
    first.put("trade_count", 2L);
    first.put("buy_count", 1L);
    first.put("sell_count", 1L);
    first.put("buy_volume", 1.0);
    first.put("sell_volume", 3.0);
    first.put("first_trade_at", new Instant(T0 + 10_000));
    first.put("last_trade_at", new Instant(T0 + 50_000));

    Map<String, Object> second = new HashMap<>(first);
    second.put("window_start", new Instant(T0 + 60_000));
    second.put("window_end", new Instant(T0 + 120_000));
    second.put("open", 99.0);
    second.put("high", 101.0);
    second.put("low", 99.0);
    second.put("close", 101.0);
    second.put("volume", 2.0); // 0.5 + 1.5
    second.put("volume_usd", 201.0); // 99*0.5 + 101*1.5 = 49.5 + 151.5
    second.put("vwap", 100.5); // 201 / 2
    second.put("buy_volume", 1.5);
    second.put("sell_volume", 0.5);
    second.put("first_trade_at", new Instant(T0 + 60_000));
    second.put("last_trade_at", new Instant(T0 + 119_999));

    Map<String, Object> single = new HashMap<>(first);
    single.put("exchange", "kraken");
    single.put("open", 100.5);
    single.put("high", 100.5);
    single.put("low", 100.5);
    single.put("close", 100.5);
    single.put("volume", 2.0);
    single.put("volume_usd", 201.0);
    single.put("vwap", 100.5);
    single.put("trade_count", 1L);
    single.put("buy_count", 1L);
    single.put("sell_count", 0L);
    single.put("buy_volume", 2.0);
    single.put("sell_volume", 0.0);
    single.put("first_trade_at", new Instant(T0 + 30_000));
    single.put("last_trade_at", new Instant(T0 + 30_000));

    PAssert.that(aggregate(spec, trades, null))
        .containsInAnyOrder(tableRow(spec, first), tableRow(spec, second), tableRow(spec, single));
    beam.pipeline().run().waitUntilFinish();
  }

  @Test
  void noTradesNoRows() {
    PAssert.that(aggregate(new TradeCandles(), List.of(), null)).empty();
    beam.pipeline().run().waitUntilFinish();
  }

  @Test
  void assetsDeduplicatedAndOrderedByObservationTimeInFiveMinuteWindows() {
    AssetStats spec = new AssetStats();
    AssetSnapshot a = asset(T0 + 240_000, 11.0, 3L);
    AssetSnapshot b = asset(T0 + 10_000, 10.0, 1L);
    AssetSnapshot c = asset(T0 + 120_000, 12.5, 2L);
    AssetSnapshot d = asset(T0 + 300_000, 20.0, 4L); // the next window
    // arrival order scrambled, b and d replayed twice
    List<AssetSnapshot> inputs = List.of(a, d, b, c, b, d);

    Map<String, Object> w1 = new HashMap<>();
    w1.put("asset_id", "bitcoin");
    w1.put("window_start", new Instant(T0));
    w1.put("window_end", new Instant(T0 + 300_000));
    w1.put("symbol", "BTC");
    w1.put("name", "Bitcoin");
    w1.put("price_usd_open", 10.0); // b
    w1.put("price_usd_high", 12.5);
    w1.put("price_usd_low", 10.0);
    w1.put("price_usd_close", 11.0); // a
    w1.put("price_usd_avg", 33.5 / 3); // (10 + 12.5 + 11) / 3
    w1.put("market_cap_usd", 1e15);
    w1.put("volume_usd_24hr", null);
    w1.put("supply", 1e9);
    w1.put("max_supply", null);
    w1.put("rank", 3L); // a's
    w1.put("change_percent_24hr", null);
    w1.put("vwap_24hr", null);
    w1.put("observations", 3L);

    Map<String, Object> w2 = new HashMap<>(w1);
    w2.put("window_start", new Instant(T0 + 300_000));
    w2.put("window_end", new Instant(T0 + 600_000));
    for (String p : List.of("open", "high", "low", "close", "avg")) {
      w2.put("price_usd_" + p, 20.0);
    }
    w2.put("rank", 4L);
    w2.put("observations", 1L);

    PAssert.that(aggregate(spec, inputs, null))
        .containsInAnyOrder(tableRow(spec, w1), tableRow(spec, w2));
    beam.pipeline().run().waitUntilFinish();
  }

  private static AssetSnapshot asset(long at, double price, long rank) {
    return new AssetSnapshot(
        "bitcoin", "BTC", "Bitcoin", rank, 1e9, null, 1e15, null, price, null, null, at);
  }

  @Test
  void marketsAcrossExchangesWithAOneMinuteWindowOverride() {
    MarketStats spec = new MarketStats();
    List<MarketSnapshot> inputs =
        List.of(
            market("binance", T0 + 5_000, 100.0, 10.0),
            market("binance", T0 + 50_000, 104.0, 30.0), // binance's latest in minute 1
            market("kraken", T0 + 20_000, 80.0, 30.0), // ties binance: binance wins
            market("kraken", T0 + 70_000, 90.0, 1.0)); // minute 2

    Map<String, Object> m1 = new HashMap<>();
    m1.put("base_id", "bitcoin");
    m1.put("quote_id", "tether");
    m1.put("window_start", new Instant(T0));
    m1.put("window_end", new Instant(T0 + 60_000));
    m1.put("base_symbol", "BTC");
    m1.put("quote_symbol", "USDT");
    m1.put("exchange_count", 2L);
    m1.put("volume_usd_24hr", 60.0); // 30 + 30
    m1.put("price_usd_vwap", 92.0); // (104*30 + 80*30) / 60 = 5520 / 60
    m1.put("price_usd_min", 80.0);
    m1.put("price_usd_max", 104.0);
    m1.put("spread_pct", 30.0); // (104 - 80) / 80 * 100: 0.3 rounds, *100 rounds back to 30
    m1.put("trades_count_24hr", null);
    m1.put("top_exchange_id", "binance");
    m1.put("observations", 3L);

    Map<String, Object> m2 = new HashMap<>(m1);
    m2.put("window_start", new Instant(T0 + 60_000));
    m2.put("window_end", new Instant(T0 + 120_000));
    m2.put("exchange_count", 1L);
    m2.put("volume_usd_24hr", 1.0);
    m2.put("price_usd_vwap", 90.0);
    m2.put("price_usd_min", 90.0);
    m2.put("price_usd_max", 90.0);
    m2.put("spread_pct", 0.0);
    m2.put("top_exchange_id", "kraken");
    m2.put("observations", 1L);

    PAssert.that(aggregate(spec, inputs, Duration.standardMinutes(1)))
        .containsInAnyOrder(tableRow(spec, m1), tableRow(spec, m2));
    beam.pipeline().run().waitUntilFinish();
  }

  private static MarketSnapshot market(String exchange, long at, double price, Double volume) {
    return new MarketSnapshot(
        exchange, "bitcoin", "tether", "BTC", "USDT", price, price, volume, null, null, at);
  }
}
