package io.coinbeam.sample;

import io.coinbeam.catalog.CoinCapStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Writes the trades stream: NDJSON files of trades-socket messages, generated and written one line
 * at a time (only a handful of delayed trades are ever held), so ten million lines take seconds and
 * little memory.
 *
 * <p>Trades are made in time order, then the output is roughened the way a real capture is: about
 * one trade in a hundred arrives 1 to 5 s late (swapped with its neighbours), one in about six
 * hundred arrives 90 s to 6 min late, gemini rounds its timestamps down to the second, about one
 * line in six hundred is sent twice, and about one in four hundred is malformed, cycling through
 * {@link #BAD_KINDS}.
 */
final class TradeWriter {
  /** The malformations, in the order they take turns; the first is a bad record, the rest rows. */
  static final List<String> BAD_KINDS =
      List.of(
          "truncated-json",
          "non-numeric-price",
          "missing-field",
          "unknown-direction",
          "negative-volume");

  private static final int TRUNCATED = 0;
  private static final int NON_NUMERIC_PRICE = 1;
  private static final int MISSING_FIELD = 2;
  private static final int UNKNOWN_DIRECTION = 3;
  private static final int NEGATIVE_VOLUME = 4;
  private static final int VALID = -1;

  /** A valid line further behind than this counts as late in the manifest. */
  static final long LATE_MILLIS = 60_000;

  private static final double P_SWAPPED = 0.01;
  private static final double PRICE_NOISE = 2e-4;
  private static final double MEDIAN_NOTIONAL_USD = 400;
  private static final double NOTIONAL_SIGMA = 1.5;

  private static final byte[] BUY = JsonText.ascii("buy\",\"price\":");
  private static final byte[] SELL = JsonText.ascii("sell\",\"price\":");
  private static final byte[] HOLD = JsonText.ascii("hold\",\"price\":");
  private static final byte[] ABC = JsonText.ascii("\"abc\"");
  private static final byte[] VOLUME = JsonText.ascii(",\"volume\":");
  private static final byte[] TIMESTAMP = JsonText.ascii(",\"timestamp\":");
  private static final byte[] PRICE_USD = JsonText.ascii(",\"priceUsd\":");

  /** One trade between generation and writing. */
  private static final class Trade {
    long seq;
    long timestamp;
    long release;
    int market;
    boolean buy;
    long priceTicks;
    long volumeLots;
    long usdMantissa;
    int usdDecimals;
  }

  private final Config config;
  private final Universe.Market[] markets;
  private final byte[][] prefixes;
  private final double[] cumulativeWeight;
  private final boolean[] wholeSeconds;
  private final boolean[] quotedInUsd;
  private final PriceModel prices;
  private final SplittableRandom pick;
  private final SplittableRandom delays;
  private final SplittableRandom schedule;
  private final double spacingMillis;
  private final long startMillis;
  private final PriorityQueue<Trade> pending =
      new PriorityQueue<>(
          Comparator.comparingLong((Trade t) -> t.release).thenComparingLong(t -> t.seq));
  private final long[] lastTimestamp;
  private final List<long[]>[] sameMillisecond;
  private long generated;
  private long nextLate;
  private Trade lookahead;

  TradeWriter(Config config, Universe universe) {
    this.config = config;
    // Config.pairs() P > 0: P pairs of equal share, cycling over the sample's markets on numbered
    // venues (copy k of binance's pairs trades on binance-k). 0: the markets as they are.
    List<Universe.Market> own = universe.markets;
    boolean even = config.pairs() > 0;
    int n = even ? config.pairs() : own.size();
    this.markets = new Universe.Market[n];
    String[] venues = new String[n];
    for (int i = 0; i < n; i++) {
      markets[i] = own.get(i % own.size());
      int copy = i / own.size();
      String id = Universe.EXCHANGES.get(markets[i].exchange()).id();
      venues[i] = copy == 0 ? id : id + "-" + copy;
    }
    prefixes = new byte[n][];
    cumulativeWeight = new double[n];
    wholeSeconds = new boolean[n];
    quotedInUsd = new boolean[n];
    lastTimestamp = new long[n];
    @SuppressWarnings("unchecked")
    List<long[]>[] perMarket = new List[n];
    sameMillisecond = perMarket;
    for (int i = 0; i < n; i++) {
      sameMillisecond[i] = new java.util.ArrayList<>();
      lastTimestamp[i] = Long.MIN_VALUE;
    }
    double total = 0;
    for (Universe.Market m : markets) {
      total += even ? 1.0 : m.weight();
    }
    double sum = 0;
    for (int i = 0; i < n; i++) {
      Universe.Market m = markets[i];
      Universe.Exchange exchange = Universe.EXCHANGES.get(m.exchange());
      prefixes[i] =
          JsonText.ascii(
              "{\"exchange\":\""
                  + venues[i]
                  + "\",\"base\":\""
                  + Universe.CURRENCIES.get(m.base()).id()
                  + "\",\"quote\":\""
                  + Universe.CURRENCIES.get(m.quote()).id()
                  + "\",\"direction\":\"");
      sum += even ? 1.0 : m.weight();
      cumulativeWeight[i] = sum / total;
      wholeSeconds[i] = exchange.wholeSeconds();
      quotedInUsd[i] = m.quote() == Universe.USD;
    }
    cumulativeWeight[n - 1] = 1.0;
    startMillis = config.start().toEpochMilli();
    spacingMillis = config.minutes() * 60_000.0 / config.trades();
    prices = new PriceModel(config.seed(), startMillis);
    pick = Randoms.forPart(config.seed(), "trades:pick");
    delays = Randoms.forPart(config.seed(), "trades:delay");
    schedule = Randoms.forPart(config.seed(), "trades:schedule");
    nextLate = 100 + delays.nextLong(600);
  }

  /** The name of trade file {@code index}: zero-padded so that name order is time order. */
  static String fileName(int index, int files, boolean gzip) {
    int width = Math.max(4, Integer.toString(files - 1).length());
    String number = Integer.toString(index);
    return "trades-"
        + "0".repeat(Math.max(0, width - number.length()))
        + number
        + (gzip ? ".ndjson.gz" : ".ndjson");
  }

  /** Writes {@code config.trades()} lines into {@code dir}, split over {@code config.files()}. */
  Manifest.StreamCounts write(Path dir, Consumer<String> log) throws IOException {
    StreamTally tally = new StreamTally(CoinCapStream.TRADES);
    long total = config.trades();
    int files = config.files();
    byte[] line = new byte[512];
    byte[] lastValid = new byte[512];
    int lastValidLength = -1;
    long lastValidTimestamp = 0;
    long maxTimestamp = Long.MIN_VALUE;
    long nextBad = 20 + schedule.nextLong(200);
    long nextDuplicate = 300 + schedule.nextLong(600);
    long badCount = 0;
    lookahead = generate();

    long position = 0;
    for (int f = 0; f < files; f++) {
      long end = (long) ((double) total * (f + 1) / files);
      if (f == files - 1) {
        end = total;
      }
      String name = fileName(f, files, config.gzip());
      tally.startFile(CoinCapStream.TRADES.id() + "/" + name);
      try (OutputStream stream = Outputs.open(dir.resolve(name), config.gzip());
          Outputs.Buffer out = new Outputs.Buffer(stream)) {
        long lineNumber = 0;
        for (; position < end; position++) {
          lineNumber++;
          tally.record();
          if (position == nextBad) {
            int kind = (int) (badCount++ % BAD_KINDS.size());
            int length = format(nextTrade(), kind, line);
            if (kind == TRUNCATED) {
              // Cut in the middle of the text: never at '{', so a reader still sees NDJSON.
              int body = length - 1;
              int cut = body / 3 + schedule.nextInt(body / 3);
              line[cut] = '\n';
              length = cut + 1;
              tally.badRecord(tally.source(lineNumber), BAD_KINDS.get(kind));
            } else {
              tally.badRow(tally.source(lineNumber), BAD_KINDS.get(kind));
            }
            out.write(line, length);
            nextBad += 200 + schedule.nextLong(400);
            continue;
          }
          long timestamp;
          if (position >= nextDuplicate && lastValidLength > 0) {
            // The socket re-sent the previous message.
            out.write(lastValid, lastValidLength);
            timestamp = lastValidTimestamp;
            tally.duplicate(1);
            nextDuplicate = position + 300 + schedule.nextLong(600);
          } else {
            Trade trade = nextTrade();
            int length = format(trade, VALID, line);
            out.write(line, length);
            System.arraycopy(line, 0, lastValid, 0, length);
            lastValidLength = length;
            lastValidTimestamp = trade.timestamp;
            timestamp = trade.timestamp;
          }
          tally.rows(1);
          tally.event(timestamp);
          if (timestamp < maxTimestamp) {
            tally.outOfOrder(maxTimestamp - timestamp > LATE_MILLIS);
          }
          maxTimestamp = Math.max(maxTimestamp, timestamp);
          if (log != null && (position + 1) % 1_000_000 == 0) {
            log.accept("trades: " + (position + 1) + " of " + total + " lines");
          }
        }
      }
    }
    return tally.finish();
  }

  /** The next trade to write: a delayed one whose time has come, else the next generated one. */
  private Trade nextTrade() {
    while (true) {
      Trade head = pending.peek();
      if (head != null && head.release <= lookahead.timestamp) {
        return pending.poll();
      }
      Trade trade = lookahead;
      lookahead = generate();
      if (trade.release > trade.timestamp) {
        pending.add(trade);
        continue;
      }
      return trade;
    }
  }

  /** Makes the next trade in time order, at the prices of its second. */
  private Trade generate() {
    Trade t = new Trade();
    t.seq = generated;
    long timestamp = startMillis + (long) ((generated + pick.nextDouble()) * spacingMillis);
    prices.advanceTo(timestamp);
    double u = pick.nextDouble();
    int m = 0;
    while (cumulativeWeight[m] < u) {
      m++;
    }
    Universe.Market market = markets[m];
    if (wholeSeconds[m]) {
      timestamp -= Math.floorMod(timestamp, 1000L);
    }
    t.timestamp = timestamp;
    t.market = m;
    double baseUsd = prices.usd(market.base());
    double quoteUsd = prices.usd(market.quote());
    double price =
        baseUsd * (1 + market.premium()) * (1 + PRICE_NOISE * Randoms.gaussian(pick, 4)) / quoteUsd;
    t.priceTicks = Math.max(1, Math.round(price * JsonText.POW10D[market.tickDecimals()]));
    double notional =
        MEDIAN_NOTIONAL_USD * StrictMath.exp(NOTIONAL_SIGMA * Randoms.gaussian(pick, 4));
    t.volumeLots =
        Math.max(1, Math.round(notional / baseUsd * JsonText.POW10D[market.lotDecimals()]));
    t.buy = pick.nextBoolean();
    makeDistinct(t);
    // CoinCap's priceUsd is the quote price times the quote currency's rate.
    double tradePrice = t.priceTicks / JsonText.POW10D[market.tickDecimals()];
    double usd = quotedInUsd[m] ? tradePrice : tradePrice * quoteUsd;
    t.usdDecimals = JsonText.decimalsFor15Digits(usd);
    t.usdMantissa = Math.round(usd * JsonText.POW10D[t.usdDecimals]);

    t.release = timestamp;
    if (generated == nextLate) {
      t.release = timestamp + 90_000 + delays.nextLong(270_001);
      nextLate += 300 + delays.nextLong(600);
    } else if (delays.nextDouble() < P_SWAPPED) {
      t.release = timestamp + 1_000 + delays.nextLong(4_001);
    }
    generated++;
    return t;
  }

  /**
   * Nudges the volume of a trade that would repeat an earlier trade of its market and millisecond
   * (same price, volume and side) by one lot, so that identical lines are only the copies the
   * writer sends on purpose and the manifest's duplicate count is exact. Trades of one market are
   * made in time order, so only those of the market's latest millisecond need remembering.
   */
  private void makeDistinct(Trade t) {
    int m = t.market;
    List<long[]> seen = sameMillisecond[m];
    if (lastTimestamp[m] != t.timestamp) {
      lastTimestamp[m] = t.timestamp;
      seen.clear();
    }
    boolean clash = true;
    while (clash) {
      clash = false;
      for (long[] other : seen) {
        if (other[0] == t.priceTicks && other[1] == t.volumeLots && (other[2] == 1) == t.buy) {
          t.volumeLots++;
          clash = true;
          break;
        }
      }
    }
    seen.add(new long[] {t.priceTicks, t.volumeLots, t.buy ? 1 : 0});
  }

  /** Writes one message (valid, or malformed as {@code kind}) with its newline; returns length. */
  private int format(Trade t, int kind, byte[] b) {
    Universe.Market market = markets[t.market];
    int p = JsonText.put(b, 0, prefixes[t.market]);
    p = JsonText.put(b, p, kind == UNKNOWN_DIRECTION ? HOLD : t.buy ? BUY : SELL);
    if (kind == NON_NUMERIC_PRICE) {
      p = JsonText.put(b, p, ABC);
    } else {
      p = JsonText.putFixed(b, p, t.priceTicks, market.tickDecimals());
    }
    if (kind != MISSING_FIELD) {
      p = JsonText.put(b, p, VOLUME);
      if (kind == NEGATIVE_VOLUME) {
        b[p++] = '-';
      }
      p = JsonText.putFixed(b, p, t.volumeLots, market.lotDecimals());
    }
    p = JsonText.put(b, p, TIMESTAMP);
    p = JsonText.putLong(b, p, t.timestamp);
    p = JsonText.put(b, p, PRICE_USD);
    p = JsonText.putFixed(b, p, t.usdMantissa, t.usdDecimals);
    b[p++] = '}';
    b[p++] = '\n';
    return p;
  }
}
