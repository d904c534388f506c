package io.coinbeam.capture;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * Capture files on this machine, for the tools that read them without a pipeline (the replay tool):
 * a path or a glob ({@code *}, {@code ?}, {@code [..]}, {@code {a,b}}; {@code **} crosses folders)
 * and the bytes of each file, unpacked when it ends in {@code .gz}. The pipeline reads captures
 * through Beam's file systems instead, which also reach cloud storage.
 */
public final class CaptureFiles {
  private static final String GLOB_CHARS = "*?[{";

  private CaptureFiles() {}

  /** One file that matched: its absolute path and when it was last modified. */
  public record CaptureFile(String path, long modifiedMillis) {}

  /** The regular files {@code pattern} names, sorted by path; none when nothing matches. */
  public static List<CaptureFile> match(String pattern) throws IOException {
    Path whole = Paths.get(pattern).toAbsolutePath();
    Path root = fixedPrefix(whole);
    List<CaptureFile> matched = new ArrayList<>();
    if (root.equals(whole)) {
      if (Files.isRegularFile(whole)) {
        matched.add(file(whole));
      }
      return matched;
    }
    if (!Files.isDirectory(root)) {
      return matched;
    }
    PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + whole);
    int depth =
        pattern.contains("**") ? Integer.MAX_VALUE : whole.getNameCount() - root.getNameCount();
    try (Stream<Path> paths = Files.walk(root, depth)) {
      for (Path path : (Iterable<Path>) paths::iterator) {
        if (Files.isRegularFile(path) && matcher.matches(path)) {
          matched.add(file(path));
        }
      }
    }
    matched.sort(Comparator.comparing(CaptureFile::path));
    return matched;
  }

  /**
   * The bytes of {@code path}: unpacked for {@code .gz}; other compressed files are refused, with
   * what to do about it.
   */
  public static InputStream open(String path) throws IOException {
    String lower = path.toLowerCase(Locale.ROOT);
    for (String packed : List.of(".bz2", ".zst", ".zip", ".lzo", ".deflate", ".snappy")) {
      if (lower.endsWith(packed)) {
        throw new IOException(
            path + " is compressed as " + packed + ": unpack it, or pack it with gzip (.gz)");
      }
    }
    InputStream in = new BufferedInputStream(Files.newInputStream(Paths.get(path)), 1 << 16);
    return lower.endsWith(".gz") ? new GZIPInputStream(in, 1 << 16) : in;
  }

  private static CaptureFile file(Path path) throws IOException {
    return new CaptureFile(path.toString(), Files.getLastModifiedTime(path).toMillis());
  }

  /** The folder above the first part of {@code pattern} that holds a glob character. */
  private static Path fixedPrefix(Path pattern) {
    Path prefix = pattern.getRoot();
    for (Path part : pattern) {
      if (part.toString().chars().anyMatch(c -> GLOB_CHARS.indexOf(c) >= 0)) {
        return prefix;
      }
      prefix = prefix.resolve(part);
    }
    return prefix;
  }
}
