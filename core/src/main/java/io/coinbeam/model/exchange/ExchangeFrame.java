package io.coinbeam.model.exchange;

import io.coinbeam.model.TradeMessage;
import java.util.List;

/**
 * What one WebSocket frame of an exchange feed holds, once recognised: trades (normalised to the
 * trades stream's {@link TradeMessage}), or a frame that carries none (an acknowledgement, a
 * heartbeat, a ticker, a snapshot of past trades) or the feed's own error report. The pipeline and
 * the ingester need the three apart: trades are counted as rows, the others are counted and
 * skipped, and the ingester also logs an error frame, instead of treating any of them as bad input.
 *
 * @param kind what the frame is
 * @param trades the trades, in the order the frame lists them; empty unless {@code kind} is TRADES
 * @param label what the frame is, for counters and logs: {@code binance-trade}, {@code coinbase
 *     heartbeat}, ...; for an error, the feed's message and reason
 */
public record ExchangeFrame(Kind kind, List<TradeMessage> trades, String label) {

  /** The three kinds of frame. */
  public enum Kind {
    TRADES,
    CONTROL,
    ERROR
  }

  public ExchangeFrame {
    trades = List.copyOf(trades);
  }

  static ExchangeFrame trades(List<TradeMessage> trades, String label) {
    return trades.isEmpty()
        ? control(label + " (no trades)")
        : new ExchangeFrame(Kind.TRADES, trades, label);
  }

  static ExchangeFrame control(String label) {
    return new ExchangeFrame(Kind.CONTROL, List.of(), label);
  }

  static ExchangeFrame error(String label) {
    return new ExchangeFrame(Kind.ERROR, List.of(), label);
  }
}
