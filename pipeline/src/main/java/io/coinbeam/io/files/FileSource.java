package io.coinbeam.io.files;

import io.coinbeam.catalog.CoinCapStream;
import io.coinbeam.io.RecordChunks;
import io.coinbeam.io.RecordSource;
import io.coinbeam.model.RawRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.values.PCollection;

/**
 * Capture files, the batch source: {@code --input}, with {@code {stream}} for each stream's name.
 */
public final class FileSource implements RecordSource {
  private final String input;

  public FileSource(String input) {
    this.input = input;
  }

  /** The pattern of one stream's files: {@code {stream}} replaced by its name. */
  public String pattern(CoinCapStream stream) {
    return input.replace("{stream}", stream.id());
  }

  /** Fails early, with the pattern in the message, when a stream has no readable input files. */
  @Override
  public void check(List<CoinCapStream> streams) {
    if (streams.size() > 1 && !input.contains("{stream}")) {
      throw new IllegalArgumentException(
          "--input="
              + input
              + " would feed the same files to "
              + streams.size()
              + " streams; put {stream} in the pattern or choose one with --streams");
    }
    for (CoinCapStream stream : streams) {
      String pattern = pattern(stream);
      if (!pattern.contains("://") && Files.isDirectory(Path.of(pattern))) {
        throw new IllegalArgumentException(
            "--input="
                + pattern
                + " is a folder: name its files, e.g. --input='"
                + pattern.replaceAll("/+$", "")
                + "/*'");
      }
      try {
        MatchResult match = FileSystems.match(pattern);
        List<MatchResult.Metadata> files =
            match.status() == MatchResult.Status.OK
                ? match.metadata().stream().filter(m -> !m.resourceId().isDirectory()).toList()
                : List.of();
        if (files.isEmpty()) {
          throw new IllegalArgumentException(
              "no input files for " + stream.id() + " match " + pattern + " (--input)");
        }
        for (MatchResult.Metadata file : files) {
          String name = file.resourceId().toString();
          if (!name.contains("://") && !Files.isReadable(Path.of(name))) {
            throw new IllegalArgumentException(
                "cannot read input file " + name + " (" + stream.id() + "): check its permissions");
          }
        }
      } catch (IOException e) {
        throw new IllegalArgumentException(
            "cannot list input files for "
                + stream.id()
                + " at "
                + pattern
                + ": "
                + e.getMessage());
      }
    }
  }

  @Override
  public PCollection<RawRecord> read(Pipeline pipeline, CoinCapStream stream) {
    return pipeline.apply(
        "Read" + stream.title() + "FromFiles", ReadCaptureFiles.from(pattern(stream)));
  }

  /** Ranges of whole lines of the stream's files, each read where it is parsed. */
  @Override
  public RecordChunks<FileRange> readChunks(Pipeline pipeline, CoinCapStream stream) {
    return new RecordChunks<>(
        pipeline.apply(
            "Read" + stream.title() + "FromFiles", ReadCaptureFiles.from(pattern(stream)).ranges()),
        ReadCaptureFiles.reader());
  }

  @Override
  public boolean recordsAreRows() {
    return false;
  }
}
