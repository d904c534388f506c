package io.coinbeam.io.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.coinbeam.capture.CaptureRecords;
import io.coinbeam.model.AssetSnapshot;
import io.coinbeam.model.Envelope;
import io.coinbeam.model.ExchangeSnapshot;
import io.coinbeam.model.MalformedRecordException;
import io.coinbeam.model.MarketSnapshot;
import io.coinbeam.model.RateSnapshot;
import io.coinbeam.model.RawRecord;
import io.coinbeam.model.Side;
import io.coinbeam.model.Timestamped;
import io.coinbeam.model.TradeMessage;
import io.coinbeam.testing.SharedFixtures;
import io.coinbeam.transforms.StreamSpec;
import io.coinbeam.transforms.aggregate.AssetStats;
import io.coinbeam.transforms.aggregate.ExchangeStats;
import io.coinbeam.transforms.aggregate.MarketStats;
import io.coinbeam.transforms.aggregate.RateStats;
import io.coinbeam.transforms.aggregate.TradeCandles;
import java.io.BufferedReader;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every real CoinCap capture in {@code ../shared/fixtures/coincap}, split as the file reader splits
 * it, parsed as the parse step parses it (envelope, then the stream's row parser), with values
 * checked against the text of the files. Skipped, saying so, where the folder is absent.
 */
class CaptureFixturesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The record split of one capture, as ReadCaptureFiles produces it. */
  static List<RawRecord> split(Path file) throws IOException {
    List<RawRecord> records = new ArrayList<>();
    try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      CaptureRecords.split(reader, file.toString(), 0L, records::add);
    }
    return records;
  }

  /** A one-document capture: its single record's envelope. */
  static Envelope envelope(String name) throws Exception {
    Path file = SharedFixtures.require("coincap/" + name);
    List<RawRecord> records = split(file);
    assertEquals(1, records.size(), name + " is one document");
    assertEquals(file + ":1", records.get(0).source());
    return Envelope.parse(JSON.readTree(records.get(0).payload()));
  }

  static <T extends Record & Timestamped> List<T> rows(StreamSpec<T> spec, Envelope envelope)
      throws MalformedRecordException {
    List<T> rows = new ArrayList<>();
    for (JsonNode row : envelope.rows()) {
      rows.add(spec.parseRow(row, envelope.timestampMillis()));
    }
    return rows;
  }

  /** The double nearest to a decimal string of the file, computed without Double.parseDouble. */
  static double decimal(String text) {
    return new BigDecimal(text).doubleValue();
  }

  @Test
  void everyCaptureIsCoveredHere() throws IOException {
    Path dir = SharedFixtures.require("coincap/assets_softronaut-coincap-go.json").getParent();
    Set<String> present = new TreeSet<>();
    try (Stream<Path> files = Files.list(dir)) {
      files.forEach(f -> present.add(f.getFileName().toString()));
    }
    Set<String> covered =
        new TreeSet<>(
            List.of(
                "asset-by-id_softronaut-coincap-go.json",
                "asset-markets_softronaut-coincap-go.json",
                "assets_softronaut-coincap-go.json",
                "assets_solipsis-coincapV2.json",
                "candles_softronaut-coincap-go.json",
                "exchange-by-id_softronaut-coincap-go.json",
                "exchanges_softronaut-coincap-go.json",
                "exchanges_solipsis-coincapV2.json",
                "history_softronaut-coincap-go.json",
                "markets_softronaut-coincap-go.json",
                "price-bysymbol_v3_dxzielinski-readme.json",
                "rate-by-id_softronaut-coincap-go.json",
                "rates_softronaut-coincap-go.json",
                "rates_solipsis-coincapV2.json",
                "trades_ws_lab-flink-crypto-readme.jsonl",
                "v2-deprecation-response_x-cmd-issue217.json"));
    assertEquals(covered, present, "a capture was added or removed: give it a test here");
  }

  @Test
  void assetsV2() throws Exception {
    Envelope envelope = envelope("assets_softronaut-coincap-go.json");
    assertEquals(1_627_297_413_424L, envelope.timestampMillis());
    List<AssetSnapshot> assets = rows(new AssetStats(), envelope);
    assertEquals(
        List.of("bitcoin", "ethereum", "tether", "binance-coin", "cardano"),
        assets.stream().map(AssetSnapshot::assetId).toList());
    AssetSnapshot bitcoin = assets.get(0);
    assertEquals(
        new AssetSnapshot(
            "bitcoin",
            "BTC",
            "Bitcoin",
            1L,
            18_767_006.0,
            21_000_000.0,
            decimal("720972966941.8179384548997536"),
            decimal("23924880952.7548243291986963"),
            decimal("38417.0478200847774256"),
            decimal("11.5218288891427624"),
            decimal("37077.8011926142580929"),
            1_627_297_413_424L),
        bitcoin);
    assertEquals(38417.04782008478, bitcoin.priceUsd());
    AssetSnapshot ethereum = assets.get(1);
    assertNull(ethereum.maxSupply(), "ethereum has no max supply");
    assertEquals(2L, ethereum.rank());
    // binance-coin's explorer is null; explorer is not read, and must not disturb the row
    assertEquals(decimal("318.9087173311535497"), assets.get(3).priceUsd());
    assertEquals(5L, assets.get(4).rank());
  }

  @Test
  void assetsEarlyV2WithoutExplorerAndWithNullVwap() throws Exception {
    Envelope envelope = envelope("assets_solipsis-coincapV2.json");
    assertEquals(1_536_345_407_424L, envelope.timestampMillis()); // 2018-09-07
    List<AssetSnapshot> assets = rows(new AssetStats(), envelope);
    assertEquals(4, assets.size());
    AssetSnapshot bitcoinRed = assets.get(3);
    assertEquals("bitcoin-red", bitcoinRed.assetId());
    assertEquals(1052L, bitcoinRed.rank());
    assertNull(bitcoinRed.maxSupply());
    assertNull(bitcoinRed.vwap24Hr());
    assertEquals(decimal("0.0000229886450142"), bitcoinRed.volumeUsd24Hr());
    assertEquals(decimal("-4.4965710648108234"), assets.get(0).changePercent24Hr());
    assertEquals(decimal("0.0007087642771888"), assets.get(2).priceUsd());
    assertEquals(21e9, assets.get(2).maxSupply());
  }

  @Test
  void assetById() throws Exception {
    Envelope envelope = envelope("asset-by-id_softronaut-coincap-go.json");
    List<AssetSnapshot> assets = rows(new AssetStats(), envelope);
    assertEquals(1, assets.size());
    AssetSnapshot polkadot = assets.get(0);
    assertEquals("polkadot", polkadot.assetId());
    assertEquals(9L, polkadot.rank());
    assertNull(polkadot.maxSupply());
    assertEquals(decimal("14.7710918668897673"), polkadot.priceUsd());
    assertEquals(1_627_299_055_657L, polkadot.observedAtMillis());
  }

  @Test
  void assetMarketsParseAsMarketsWithDisplayNamesAsExchangeIds() throws Exception {
    Envelope envelope = envelope("asset-markets_softronaut-coincap-go.json");
    List<MarketSnapshot> markets = rows(new MarketStats(), envelope);
    assertEquals(7, markets.size());
    MarketSnapshot first = markets.get(0);
    assertEquals("Binance", first.exchangeId());
    assertEquals("polkadot", first.baseId());
    assertEquals("tether", first.quoteId());
    assertEquals(decimal("14.8147535185393422"), first.priceUsd());
    assertEquals(decimal("293958357.0760118562305977"), first.volumeUsd24Hr());
    // this endpoint has no priceQuote and no tradesCount24Hr
    assertNull(first.priceQuote());
    assertNull(first.tradesCount24Hr());
    assertEquals(14.803, markets.get(6).priceUsd()); // Bitfinex "14.8030000000000000"
  }

  @Test
  void markets() throws Exception {
    Envelope envelope = envelope("markets_softronaut-coincap-go.json");
    List<MarketSnapshot> markets = rows(new MarketStats(), envelope);
    assertEquals(7, markets.size());
    assertEquals(
        new MarketSnapshot(
            "binance",
            "solana",
            "bitcoin",
            "SOL",
            "BTC",
            decimal("0.0007906800000000"),
            decimal("30.3247645409936440"),
            decimal("17114711.8389811714741999"),
            decimal("0.0787249188773752"),
            24_794L,
            1_627_309_368_777L),
        markets.get(2));
    assertEquals(
        List.of("bilaxy", "binance", "binance", "binance", "bitmax", "hotbit", "hotbit"),
        markets.stream().map(MarketSnapshot::exchangeId).toList());
    assertEquals(
        List.of("solana", "tether"),
        new MarketStats().key(markets.get(0)),
        "the markets key is (base, quote)");
  }

  @Test
  void exchangesV2() throws Exception {
    Envelope envelope = envelope("exchanges_softronaut-coincap-go.json");
    List<ExchangeSnapshot> exchanges = rows(new ExchangeStats(), envelope);
    assertEquals(
        List.of("binance", "huobi", "okex", "gdax", "hitbtc"),
        exchanges.stream().map(ExchangeSnapshot::exchangeId).toList());
    assertEquals(
        new ExchangeSnapshot(
            "gdax",
            "Coinbase Pro",
            4L,
            decimal("4.855897403348345873000000000000000000"),
            decimal("3264308826.0586459823067906"),
            85L,
            true,
            1_627_321_566_653L),
        exchanges.get(3));
    assertEquals(Boolean.FALSE, exchanges.get(2).socket());
  }

  @Test
  void exchangeById() throws Exception {
    List<ExchangeSnapshot> exchanges =
        rows(new ExchangeStats(), envelope("exchange-by-id_softronaut-coincap-go.json"));
    assertEquals(
        List.of(
            new ExchangeSnapshot(
                "kraken",
                "Kraken",
                13L,
                1.845246588138155764, // "1.845246588138155764000000000000000000", 36 decimals
                decimal("1239651159.1462306990108100"),
                141L,
                false,
                1_627_321_767_124L)),
        exchanges);
  }

  @Test
  void earlyExchangesReadIdAsExchangeIdAndEndWithABlankLine() throws Exception {
    Path file = SharedFixtures.require("coincap/exchanges_solipsis-coincapV2.json");
    List<String> lines = Files.readAllLines(file);
    assertTrue(lines.get(lines.size() - 1).isBlank(), "the capture ends with a blank line");
    Envelope envelope = envelope("exchanges_solipsis-coincapV2.json");
    assertEquals(1_536_336_928_185L, envelope.timestampMillis());
    List<ExchangeSnapshot> exchanges = rows(new ExchangeStats(), envelope);
    assertEquals(62, exchanges.size());
    assertEquals(
        new ExchangeSnapshot(
            "binance",
            "Binance",
            1L,
            decimal("16.903027981466749702000000000000000000"),
            decimal("1034850514.6425770861221546"),
            375L,
            true,
            1_536_336_928_185L),
        exchanges.get(0));
    ExchangeSnapshot last = exchanges.get(61);
    assertEquals("gatecoin", last.exchangeId());
    assertEquals(62L, last.rank());
    assertEquals(decimal("0.0009395987679768119846000000000000000000"), last.percentTotalVolume());
    assertEquals(13, exchanges.stream().filter(e -> Boolean.TRUE.equals(e.socket())).count());
    assertEquals(62, exchanges.stream().map(ExchangeSnapshot::exchangeId).distinct().count());
  }

  @Test
  void theEarlyExchangesSplitTheSameBehindLeadingBlankLines() throws Exception {
    // Where it was published this capture starts with a blank line; the fixture copy ends with one
    // instead. Either way the split must be the same document, found at its first non-blank line.
    Path file = SharedFixtures.require("coincap/exchanges_solipsis-coincapV2.json");
    String text = Files.readString(file);
    List<RawRecord> asIs = split(file);
    List<RawRecord> shifted = new ArrayList<>();
    CaptureRecords.split(
        new BufferedReader(new java.io.StringReader("\n  \n" + text)), "x", 0L, shifted::add);
    assertEquals(1, shifted.size());
    assertEquals("x:3", shifted.get(0).source());
    assertEquals(asIs.get(0).payload(), shifted.get(0).payload());
  }

  @Test
  void ratesWithNullCurrencySymbols() throws Exception {
    Envelope envelope = envelope("rates_softronaut-coincap-go.json");
    List<RateSnapshot> rates = rows(new RateStats(), envelope);
    assertEquals(5, rates.size());
    assertEquals(
        new RateSnapshot(
            "australian-dollar",
            "AUD",
            "$",
            "fiat",
            decimal("0.7354152448638599"),
            1_627_299_565_440L),
        rates.get(0));
    assertEquals(
        new RateSnapshot("usd-coin", "USDC", null, "crypto", 1.0, 1_627_299_565_440L),
        rates.get(3));
    assertNull(rates.get(4).currencySymbol()); // tether
  }

  @Test
  void rateById() throws Exception {
    Envelope envelope = envelope("rate-by-id_softronaut-coincap-go.json");
    assertEquals(
        List.of(new RateSnapshot("usd-coin", "USDC", null, "crypto", 1.0, 1_627_308_351_609L)),
        rows(new RateStats(), envelope));
  }

  @Test
  void theFakedRatesTimestampIsRejectedButItsRowsAreSound() throws Exception {
    Path file = SharedFixtures.require("coincap/rates_solipsis-coincapV2.json");
    List<RawRecord> records = split(file);
    assertEquals(1, records.size());
    JsonNode document = JSON.readTree(records.get(0).payload());
    MalformedRecordException rejected =
        assertThrows(MalformedRecordException.class, () -> Envelope.parse(document));
    assertEquals(
        "timestamp: 2130914394831867904 is not a time between 2009 and 2100 in epoch"
            + " milliseconds",
        rejected.getMessage());
    // The rows themselves parse, given a sound observation time.
    RateStats spec = new RateStats();
    List<RateSnapshot> rates = new ArrayList<>();
    for (JsonNode row : document.get("data")) {
      rates.add(spec.parseRow(row, 1_536_345_407_424L));
    }
    assertEquals(169, rates.size());
    assertEquals(157, rates.stream().filter(r -> "fiat".equals(r.type())).count());
    assertEquals(12, rates.stream().filter(r -> "crypto".equals(r.type())).count());
    assertEquals(41, rates.stream().filter(r -> r.currencySymbol() == null).count());
    RateSnapshot bitcoin =
        rates.stream().filter(r -> r.rateId().equals("bitcoin")).findFirst().orElseThrow();
    assertEquals("₿", bitcoin.currencySymbol());
    assertEquals(decimal("6460.1796787111878264"), bitcoin.rateUsd());
    RateSnapshot euro =
        rates.stream().filter(r -> r.rateId().equals("euro")).findFirst().orElseThrow();
    assertEquals("€", euro.currencySymbol());
    assertEquals(decimal("1.1623136084839594"), euro.rateUsd());
  }

  @Test
  void tradesSocketMessages() throws Exception {
    Path file = SharedFixtures.require("coincap/trades_ws_lab-flink-crypto-readme.jsonl");
    List<RawRecord> records = split(file);
    assertEquals(6, records.size());
    for (int i = 0; i < 6; i++) {
      assertEquals(file + ":" + (i + 1), records.get(i).source());
    }
    TradeCandles spec = new TradeCandles();
    List<TradeMessage> trades = new ArrayList<>();
    for (RawRecord record : records) {
      trades.add(spec.parseRow(JSON.readTree(record.payload()), -1L));
    }
    assertEquals(
        new TradeMessage(
            "bitso",
            "terra-luna",
            "euro",
            Side.SELL,
            80.17,
            2.76,
            84.57143580503737,
            1_651_687_003_450L),
        trades.get(0));
    assertEquals(
        new TradeMessage(
            "bitso",
            "xrp",
            "tether",
            Side.BUY,
            0.6174,
            180.0,
            0.6178606418423568,
            1_651_686_997_237L),
        trades.get(1));
    // gemini sends whole seconds, already as milliseconds: nothing is scaled
    List<TradeMessage> gemini = trades.subList(3, 6);
    assertEquals(
        List.of(1_715_075_793_000L, 1_715_075_795_000L, 1_715_075_819_000L),
        gemini.stream().map(TradeMessage::timestampMillis).toList());
    assertEquals(
        new TradeMessage(
            "gemini",
            "bitcoin",
            "united-states-dollar",
            Side.SELL,
            64119.73,
            0.00031,
            64119.73,
            1_715_075_795_000L),
        gemini.get(1));
    assertEquals(List.of("gemini", "ethereum", "singapore-dollar"), spec.key(gemini.get(0)));
  }

  @Test
  void theV2ShutdownBodyIsRejectedWithTheReason() throws Exception {
    Path file = SharedFixtures.require("coincap/v2-deprecation-response_x-cmd-issue217.json");
    List<RawRecord> records = split(file);
    assertEquals(1, records.size());
    MalformedRecordException e =
        assertThrows(
            MalformedRecordException.class,
            () -> Envelope.parse(JSON.readTree(records.get(0).payload())));
    assertTrue(e.getMessage().contains("v2 API was shut down on 2025-03-31"), e.getMessage());
    assertTrue(e.getMessage().contains("v3"), e.getMessage());
    assertTrue(
        e.getMessage().contains("We are deprecating this version of the CoinCap API"),
        e.getMessage());
  }

  @Test
  void theV3PriceBySymbolBodyGivesRowErrorsNotACrash() throws Exception {
    Envelope envelope = envelope("price-bysymbol_v3_dxzielinski-readme.json");
    assertEquals(1_763_753_634_750L, envelope.timestampMillis());
    assertEquals(5, envelope.rows().size());
    assertEquals("84739.050000000002910383", envelope.rows().get(0).asText());
    for (StreamSpec<?> spec :
        List.of(
            new AssetStats(),
            new RateStats(),
            new ExchangeStats(),
            new MarketStats(),
            new TradeCandles())) {
      for (JsonNode row : envelope.rows()) {
        Exception e =
            assertThrows(Exception.class, () -> spec.parseRow(row, envelope.timestampMillis()));
        assertInstanceOf(MalformedRecordException.class, e, spec.name() + ": " + e);
        assertTrue(e.getMessage().startsWith("missing "), e.getMessage());
      }
    }
  }

  @Test
  void historyAndCandlesAreNotStreamInputsAndSayWhy() throws Exception {
    // /assets/{id}/history and /candles rows are not asset or market rows: fed to a stream by
    // mistake, each row is rejected on its own with a missing field named.
    Envelope history = envelope("history_softronaut-coincap-go.json");
    assertEquals(5, history.rows().size());
    for (JsonNode row : history.rows()) {
      assertEquals(
          "missing id",
          assertThrows(
                  MalformedRecordException.class,
                  () -> new AssetStats().parseRow(row, history.timestampMillis()))
              .getMessage());
    }
    Envelope candles = envelope("candles_softronaut-coincap-go.json");
    assertEquals(10, candles.rows().size());
    assertEquals(1_627_298_324_886L, candles.timestampMillis());
    for (JsonNode row : candles.rows()) {
      assertEquals(
          "missing priceUsd",
          assertThrows(
                  MalformedRecordException.class,
                  () -> new MarketStats().parseRow(row, candles.timestampMillis()))
              .getMessage());
    }
  }
}
