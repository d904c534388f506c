package io.coinbeam.sample;

import io.coinbeam.catalog.CoinCapStream;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The rows of one REST snapshot stream, poll after poll, in the shapes of the real API: numbers as
 * 16-decimal strings, whole numbers as strings, times as numbers, nulls where CoinCap has them.
 * Each source keeps its own slowly moving figures (24 h volumes, supplies) and reads prices from
 * its own {@link PriceModel}, which agrees with the trades' one.
 */
abstract class RestRows {
  final PriceModel prices;
  final SplittableRandom random;

  RestRows(Config config, String salt) {
    this.prices = new PriceModel(config.seed(), config.start().toEpochMilli());
    this.random = Randoms.forPart(config.seed(), "rest:" + salt);
  }

  /** The source for {@code stream}, a snapshot stream. */
  static RestRows of(CoinCapStream stream, Config config, Universe universe) {
    return switch (stream) {
      case ASSETS -> new Assets(config);
      case RATES -> new Rates(config);
      case EXCHANGES -> new Exchanges(config);
      case MARKETS -> new Markets(config, universe);
      case TRADES -> throw new IllegalArgumentException("trades are not REST snapshots");
    };
  }

  /** The rows of poll {@code index}, observed at {@code timestampMillis}; called in order. */
  abstract List<JsonRow> poll(int index, long timestampMillis);

  /** The numeric field that the one bad row of the stream carries as text. */
  abstract String badField();

  /** How long after each minute this stream is polled, so streams do not share timestamps. */
  abstract long pollOffsetMillis();

  /** A multiplicative random walk step for 24 h figures that drift minute to minute. */
  double drift(double value, double sigma) {
    return value * StrictMath.exp(sigma * Randoms.gaussian(random, 4));
  }

  /** {@code /assets}. */
  static final class Assets extends RestRows {
    private final double[] volume;
    private final double[] vwap;
    private final double[] supply;

    Assets(Config config) {
      super(config, "assets");
      int n = Universe.ASSETS.size();
      volume = new double[n];
      vwap = new double[n];
      supply = new double[n];
      for (int i = 0; i < n; i++) {
        Universe.Asset asset = Universe.ASSETS.get(i);
        volume[i] = asset.volumeUsd24Hr();
        double start = Universe.CURRENCIES.get(asset.currency()).startUsd();
        vwap[i] = start * (1 + 0.004 * Randoms.gaussian(random, 3));
        supply[i] = asset.supply();
      }
    }

    @Override
    List<JsonRow> poll(int index, long timestampMillis) {
      prices.advanceTo(timestampMillis);
      List<JsonRow> rows = new ArrayList<>();
      for (int i = 0; i < Universe.ASSETS.size(); i++) {
        Universe.Asset asset = Universe.ASSETS.get(i);
        Universe.Currency currency = Universe.CURRENCIES.get(asset.currency());
        double price = prices.usd(asset.currency());
        volume[i] = drift(volume[i], 0.01);
        vwap[i] += (price - vwap[i]) * 0.02;
        if (index > 0) {
          supply[i] += asset.supplyPerMinute();
        }
        double change =
            ((1 + asset.changePercent24Hr() / 100) * price / currency.startUsd() - 1) * 100;
        rows.add(
            new JsonRow()
                .text("id", currency.id())
                .raw("rank", JsonText.restWhole(asset.rank()))
                .text("symbol", currency.symbol())
                .text("name", currency.name())
                .raw("supply", JsonText.restRounded(supply[i]))
                .raw(
                    "maxSupply",
                    asset.maxSupply() == null ? "null" : JsonText.restRounded(asset.maxSupply()))
                .raw("marketCapUsd", JsonText.restNumber(supply[i] * price))
                .raw("volumeUsd24Hr", JsonText.restNumber(volume[i]))
                .raw("priceUsd", JsonText.restNumber(price))
                .raw("changePercent24Hr", JsonText.restNumber(change))
                .raw("vwap24Hr", asset.vwapNull() ? "null" : JsonText.restNumber(vwap[i]))
                .text("explorer", asset.explorer()));
      }
      return rows;
    }

    @Override
    String badField() {
      return "priceUsd";
    }

    @Override
    long pollOffsetMillis() {
      return 0;
    }
  }

  /** {@code /rates}: fiat and crypto rates in USD; crypto rows mostly lack a currency symbol. */
  static final class Rates extends RestRows {
    Rates(Config config) {
      super(config, "rates");
    }

    @Override
    List<JsonRow> poll(int index, long timestampMillis) {
      prices.advanceTo(timestampMillis);
      List<JsonRow> rows = new ArrayList<>();
      for (int c : Universe.RATES) {
        Universe.Currency currency = Universe.CURRENCIES.get(c);
        rows.add(
            new JsonRow()
                .text("id", currency.id())
                .text("symbol", currency.symbol())
                .text("currencySymbol", currency.sign())
                .text("type", currency.type())
                .raw("rateUsd", JsonText.restNumber(prices.usd(c))));
      }
      return rows;
    }

    @Override
    String badField() {
      return "rateUsd";
    }

    @Override
    long pollOffsetMillis() {
      return 2_000;
    }
  }

  /**
   * {@code /exchanges}, ranked by volume at each poll. The first third of the polls has the early
   * v2 shape (key {@code id}, no {@code exchangeUrl}), the rest the later one ({@code exchangeId}),
   * as a capture spanning the change would.
   */
  static final class Exchanges extends RestRows {
    /** The listed exchanges make this share of all volume; the rest is exchanges not listed. */
    private static final double LISTED_SHARE = 0.61;

    private final int earlyPolls;
    private final Double[] volume;

    Exchanges(Config config) {
      super(config, "exchanges");
      earlyPolls = (config.minutes() + 2) / 3;
      volume = new Double[Universe.EXCHANGES.size()];
      for (int i = 0; i < volume.length; i++) {
        volume[i] = Universe.EXCHANGES.get(i).volumeUsd();
      }
    }

    @Override
    List<JsonRow> poll(int index, long timestampMillis) {
      double listed = 0;
      for (int i = 0; i < volume.length; i++) {
        if (volume[i] != null) {
          volume[i] = drift(volume[i], 0.008);
          listed += volume[i];
        }
      }
      double total = listed / LISTED_SHARE;
      // Rank by volume, highest first, exchanges without volume last; ties keep list order.
      List<Integer> order = new ArrayList<>();
      for (int i = 0; i < volume.length; i++) {
        int at = 0;
        while (at < order.size() && !before(i, order.get(at))) {
          at++;
        }
        order.add(at, i);
      }
      boolean early = index < earlyPolls;
      List<JsonRow> rows = new ArrayList<>();
      for (int r = 0; r < order.size(); r++) {
        int i = order.get(r);
        Universe.Exchange exchange = Universe.EXCHANGES.get(i);
        JsonRow row = new JsonRow().text(early ? "id" : "exchangeId", exchange.id());
        row.text("name", exchange.name())
            .raw("rank", JsonText.restWhole(r + 1))
            .raw(
                "percentTotalVolume",
                volume[i] == null
                    ? "null"
                    // CoinCap gives this one 36 decimals, the last 18 of them zeros.
                    : "\"" + JsonText.decimal(volume[i] / total * 100, 18) + "0".repeat(18) + "\"")
            .raw("volumeUsd", JsonText.restNumber(volume[i]))
            .raw("tradingPairs", JsonText.restWhole(exchange.tradingPairs()))
            .raw("socket", Boolean.toString(exchange.socket()));
        if (!early) {
          row.text("exchangeUrl", exchange.url());
        }
        row.raw("updated", Long.toString(timestampMillis - random.nextInt(20_000)));
        rows.add(row);
      }
      return rows;
    }

    private boolean before(int a, int b) {
      if (volume[a] == null) {
        return false;
      }
      return volume[b] == null || volume[a] > volume[b];
    }

    @Override
    String badField() {
      return "volumeUsd";
    }

    @Override
    long pollOffsetMillis() {
      return 4_000;
    }
  }

  /**
   * {@code /markets}: the pairs that trade on several exchanges, each exchange's last price a few
   * basis points from the others (the same premiums the trades carry).
   */
  static final class Markets extends RestRows {
    private final List<Universe.Market> markets = new ArrayList<>();
    private final double[] volume;

    Markets(Config config, Universe universe) {
      super(config, "markets");
      for (Universe.Market market : universe.markets) {
        if (market.listed()) {
          int at = 0;
          while (at < markets.size() && markets.get(at).rank() < market.rank()) {
            at++;
          }
          markets.add(at, market);
        }
      }
      volume = new double[markets.size()];
      for (int i = 0; i < volume.length; i++) {
        volume[i] = markets.get(i).volumeUsd24Hr();
      }
    }

    @Override
    List<JsonRow> poll(int index, long timestampMillis) {
      prices.advanceTo(timestampMillis);
      List<JsonRow> rows = new ArrayList<>();
      for (int i = 0; i < markets.size(); i++) {
        Universe.Market market = markets.get(i);
        Universe.Exchange exchange = Universe.EXCHANGES.get(market.exchange());
        Universe.Currency base = Universe.CURRENCIES.get(market.base());
        Universe.Currency quote = Universe.CURRENCIES.get(market.quote());
        volume[i] = drift(volume[i], 0.01);
        double quoteUsd = prices.usd(market.quote());
        double last =
            prices.usd(market.base())
                * (1 + market.premium())
                * (1 + 2e-4 * Randoms.gaussian(random, 4))
                / quoteUsd;
        double unit = JsonText.POW10D[market.tickDecimals()];
        double priceQuote = Math.max(1, Math.round(last * unit)) / unit;
        boolean usd = market.quote() == Universe.USD;
        rows.add(
            new JsonRow()
                .text("exchangeId", exchange.id())
                .raw("rank", JsonText.restWhole(market.rank()))
                .text("baseSymbol", base.symbol())
                .text("baseId", base.id())
                .text("quoteSymbol", quote.symbol())
                .text("quoteId", quote.id())
                .raw("priceQuote", JsonText.restRounded(priceQuote))
                .raw(
                    "priceUsd",
                    usd
                        ? JsonText.restRounded(priceQuote)
                        : JsonText.restNumber(priceQuote * quoteUsd))
                .raw("volumeUsd24Hr", JsonText.restNumber(volume[i]))
                .raw(
                    "percentExchangeVolume",
                    JsonText.restNumber(volume[i] / exchange.volumeUsd() * 100))
                .raw("tradesCount24Hr", JsonText.restWhole(Math.round(volume[i] / 1_500)))
                .raw("updated", Long.toString(timestampMillis - random.nextInt(60_000))));
      }
      return rows;
    }

    @Override
    String badField() {
      return "priceUsd";
    }

    @Override
    long pollOffsetMillis() {
      return 6_000;
    }
  }
}
