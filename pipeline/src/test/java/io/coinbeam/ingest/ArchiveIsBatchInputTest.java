package io.coinbeam.ingest;

import io.coinbeam.catalog.CoinCapStream;
import io.coinbeam.io.files.ReadCaptureFiles;
import io.coinbeam.model.AssetSnapshot;
import io.coinbeam.model.TradeMessage;
import io.coinbeam.testing.BeamPipelineExtension;
import io.coinbeam.testing.SharedFixtures;
import io.coinbeam.transforms.ParseRecords;
import io.coinbeam.transforms.aggregate.AssetStats;
import io.coinbeam.transforms.aggregate.TradeCandles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the ingester archives is batch input: the pipeline's own file reader and parser read it back
 * with every row and no dead letter, so archived history can be reprocessed with make run.
 */
class ArchiveIsBatchInputTest {
  @RegisterExtension final BeamPipelineExtension beam = new BeamPipelineExtension();
  @TempDir Path dir;

  @Test
  void archivedEnvelopesAndTradesReadBackThroughTheBatchReader() throws Exception {
    String assets =
        Files.readString(SharedFixtures.require("coincap/assets_softronaut-coincap-go.json"));
    List<String> trades =
        Files.readAllLines(
                SharedFixtures.require("coincap/trades_ws_lab-flink-crypto-readme.jsonl"))
            .stream()
            .filter(l -> !l.isBlank())
            .toList();
    Clock time = Clock.fixed(Instant.parse("2026-11-21T13:00:00Z"), ZoneOffset.UTC);
    try (CaptureArchive archive = new CaptureArchive(dir, time)) {
      // Two polls, as the poller archives them: the envelope as one compact line.
      archive.append("assets", CaptureRows.fromEnvelope(CoinCapStream.ASSETS, assets).envelope());
      archive.append("assets", CaptureRows.fromEnvelope(CoinCapStream.ASSETS, assets).envelope());
      trades.forEach(line -> archive.append("trades", line));
      archive.reject("assets", "GET /assets", "not valid JSON", "{\"data\":[");
    }

    AssetStats assetSpec = new AssetStats();
    ParseRecords<AssetSnapshot> parseAssets =
        new ParseRecords<>(assetSpec, ParseRecords.fileShape(assetSpec));
    PCollectionTuple assetRows =
        beam.pipeline()
            .apply("ReadAssets", ReadCaptureFiles.from(dir + "/assets/*"))
            .apply("ParseAssets", parseAssets);
    PAssert.thatSingleton(assetRows.get(parseAssets.rows()).apply("CountAssets", Count.globally()))
        .isEqualTo(10L);
    PAssert.that(assetRows.get(ParseRecords.DEAD_LETTERS)).empty();

    TradeCandles tradeSpec = new TradeCandles();
    ParseRecords<TradeMessage> parseTrades =
        new ParseRecords<>(tradeSpec, ParseRecords.fileShape(tradeSpec));
    PCollectionTuple tradeRows =
        beam.pipeline()
            .apply("ReadTrades", ReadCaptureFiles.from(dir + "/trades/*"))
            .apply("ParseTrades", parseTrades);
    PAssert.thatSingleton(tradeRows.get(parseTrades.rows()).apply("CountTrades", Count.globally()))
        .isEqualTo(6L);
    PAssert.that(tradeRows.get(ParseRecords.DEAD_LETTERS)).empty();

    beam.pipeline().run().waitUntilFinish();
  }
}
