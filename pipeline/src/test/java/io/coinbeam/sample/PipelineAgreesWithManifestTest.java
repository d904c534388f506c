package io.coinbeam.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.coinbeam.catalog.CoinCapStream;
import io.coinbeam.io.files.ReadCaptureFiles;
import io.coinbeam.metrics.PipelineMetrics;
import io.coinbeam.metrics.RunSummary;
import io.coinbeam.model.RawRecord;
import io.coinbeam.model.Timestamped;
import io.coinbeam.transforms.ParseRecords;
import io.coinbeam.transforms.StreamSpec;
import io.coinbeam.transforms.aggregate.StreamSpecs;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The manifest's numbers are the pipeline's: its file reader and parse step, run on a generated
 * data set, count {@code records}, {@code rows} and {@code deadLetters} exactly, and dead-letter
 * exactly the sources the manifest lists.
 */
class PipelineAgreesWithManifestTest {
  @TempDir Path dir;

  @Test
  void readAndParseCountWhatTheManifestSays() throws IOException {
    Manifest manifest =
        SampleGenerator.generate(SampleGenerator.BUNDLED_SAMPLE.withFiles(2).withGzip(true), dir);
    Pipeline pipeline = Pipeline.create(PipelineOptionsFactory.create());
    for (CoinCapStream stream : manifest.config().streams()) {
      CoinCapStream pipelineStream = CoinCapStream.valueOf(stream.name());
      PCollection<RawRecord> raw =
          pipeline.apply(
              "Read" + stream.id(),
              ReadCaptureFiles.from(dir.resolve(stream.id()).toString() + "/*"));
      PCollection<String> sources =
          deadLetterSources(stream.id(), raw, StreamSpecs.of(pipelineStream));
      List<String> expected = new ArrayList<>();
      for (Manifest.Reject reject : manifest.stream(stream).rejects()) {
        expected.add(dir.resolve(reject.source()).toString());
      }
      PAssert.that(stream.id() + " dead letters", sources).containsInAnyOrder(expected);
    }
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();
    for (CoinCapStream stream : manifest.config().streams()) {
      Manifest.StreamCounts counts = manifest.stream(stream);
      assertEquals(
          counts.recordsRead(), counter(result, stream, PipelineMetrics.RECORDS_READ), stream.id());
      assertEquals(
          counts.rows(), counter(result, stream, PipelineMetrics.ROWS_PARSED), stream.id());
      assertEquals(
          counts.deadLetters(), counter(result, stream, PipelineMetrics.DEAD_LETTERS), stream.id());
    }
  }

  private static <T extends Record & Timestamped> PCollection<String> deadLetterSources(
      String name, PCollection<RawRecord> raw, StreamSpec<T> spec) {
    PCollectionTuple parsed =
        raw.apply("Parse" + name, new ParseRecords<>(spec, ParseRecords.fileShape(spec)));
    return parsed
        .get(ParseRecords.DEAD_LETTERS)
        .apply(
            "Sources" + name,
            MapElements.into(TypeDescriptors.strings()).via(row -> row.getString("source")));
  }

  private static long counter(PipelineResult result, CoinCapStream stream, String name) {
    return RunSummary.counters(result).getOrDefault(stream.id() + "." + name, 0L);
  }
}
