package io.coinbeam.transforms.aggregate;

import com.fasterxml.jackson.databind.JsonNode;
import io.coinbeam.catalog.CoinCapStream;
import io.coinbeam.model.MalformedRecordException;
import io.coinbeam.model.TextCache;
import io.coinbeam.model.TradeMessage;
import io.coinbeam.model.exchange.ExchangeFrame;
import io.coinbeam.model.exchange.ExchangeFrames;
import io.coinbeam.rows.RowBuilder;
import io.coinbeam.transforms.StreamSpec;
import java.util.List;
import org.apache.beam.sdk.coders.CannotProvideCoderException;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.Combine.CombineFn;
import org.apache.beam.sdk.values.Row;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * The {@code trades} stream: socket trade messages, and raw Binance and Coinbase trade frames
 * beside them, into OHLCV candles per exchange and pair.
 */
public final class TradeCandles extends StreamSpec<TradeMessage> {
  private static final long serialVersionUID = 1L;

  public TradeCandles() {
    super(CoinCapStream.TRADES, TradeMessage.class, Duration.standardMinutes(1));
  }

  @Override
  public TradeMessage parseRow(JsonNode row, long observedAtMillis)
      throws MalformedRecordException {
    return TradeMessage.parse(row);
  }

  /** This copy's names seen so far; each worker thread deserialises a copy of its own. */
  private transient TextCache texts;

  @Override
  public TradeMessage parseSimple(String record) {
    if (texts == null) {
      texts = new TextCache();
    }
    return TradeMessage.parseSimple(record, texts);
  }

  /** Raw Binance and Coinbase frames, recognised per record ({@link ExchangeFrames}). */
  @Override
  public Frame<TradeMessage> parseFrame(JsonNode record) throws MalformedRecordException {
    ExchangeFrame frame = ExchangeFrames.read(record);
    if (frame == null) {
      return null;
    }
    return frame.kind() == ExchangeFrame.Kind.TRADES
        ? new Frame<>(frame.trades(), null)
        : new Frame<>(List.of(), frame.label());
  }

  @Override
  public List<String> key(TradeMessage trade) {
    return List.of(trade.exchange(), trade.base(), trade.quote());
  }

  @Override
  public CombineFn<TradeMessage, ?, Row> summarize(Schema measures) {
    return new CandleFn(measures);
  }

  private static final class CandleFn extends CombineFn<TradeMessage, CandleAccumulator, Row> {
    private static final long serialVersionUID = 1L;
    private final Schema measures;

    CandleFn(Schema measures) {
      this.measures = measures;
    }

    @Override
    public CandleAccumulator createAccumulator() {
      return new CandleAccumulator();
    }

    @Override
    public CandleAccumulator addInput(CandleAccumulator acc, TradeMessage trade) {
      acc.add(trade);
      return acc;
    }

    @Override
    public CandleAccumulator mergeAccumulators(Iterable<CandleAccumulator> accumulators) {
      CandleAccumulator merged = new CandleAccumulator();
      accumulators.forEach(merged::merge);
      return merged;
    }

    @Override
    public Row extractOutput(CandleAccumulator acc) {
      double volume = acc.volume.value();
      return RowBuilder.of(measures)
          .set("open", acc.first.price())
          .set("high", acc.high)
          .set("low", acc.low)
          .set("close", acc.last.price())
          .set("volume", volume)
          .set("volume_usd", acc.volumeUsd.value())
          .set("vwap", acc.notional.dividedBy(acc.volume))
          .set("trade_count", acc.tradeCount)
          .set("buy_count", acc.buyCount)
          .set("sell_count", acc.tradeCount - acc.buyCount)
          .set("buy_volume", acc.buyVolume.value())
          .set("sell_volume", acc.sellVolume.value())
          .set("first_trade_at", new Instant(acc.first.timestampMillis()))
          .set("last_trade_at", new Instant(acc.last.timestampMillis()))
          .build();
    }

    @Override
    public Coder<CandleAccumulator> getAccumulatorCoder(
        CoderRegistry registry, Coder<TradeMessage> inputCoder) throws CannotProvideCoderException {
      return CandleAccumulatorCoder.of();
    }
  }
}
