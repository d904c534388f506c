package io.coinbeam.io.parquet;

import io.coinbeam.io.StagedOutput;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * A batch run's Parquet output, written where readers do not look and swapped in only when the run
 * has succeeded, so that a table folder under the output root only ever holds a complete table.
 *
 * <p>The run writes under {@code <output>/.coinbeam-runs/<run id>/}, which it holds a lock on while
 * it lives. {@link #commit} then replaces, for each table of the run, {@code <output>/<table>} by
 * the new folder (two directory renames: a reader finds the old table, the new one, or for an
 * instant none, never a part of one), and in {@code <output>/dead_letters} replaces only the files
 * of the run's own streams, so one stream's run leaves the other streams' dead letters alone. The
 * commit is journalled first: a run killed during it is finished by the next run into the same
 * output. A run that fails, is stopped or is killed before the commit leaves every table as it was;
 * its unfinished folder is removed by {@link #abandon} or, after a kill, by the next run.
 */
public final class StagedTables implements StagedOutput {
  /** Under the output root: one folder per run, hidden from readers that skip dot folders. */
  public static final String RUNS_FOLDER = ".coinbeam-runs";

  private static final String JOURNAL = "COMMIT";
  private static final String REPLACED = ".replaced";
  private static final String DEAD_LETTERS = "dead_letters";
  private static final DateTimeFormatter RUN_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");

  private final Path output;
  private final Path staging;
  private final List<String> tables;
  private final List<String> deadLetterPrefixes;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private boolean finished;
  private boolean committed;

  /** Why a run cannot write its output at all: the run should not start. */
  public static final class OutputProblem extends Exception {
    private static final long serialVersionUID = 1L;

    OutputProblem(String message) {
      super(message);
    }
  }

  private StagedTables(
      Path output,
      Path staging,
      List<String> tables,
      List<String> deadLetterPrefixes,
      FileChannel lockChannel,
      FileLock lock) {
    this.output = output;
    this.staging = staging;
    this.tables = List.copyOf(tables);
    this.deadLetterPrefixes = List.copyOf(deadLetterPrefixes);
    this.lockChannel = lockChannel;
    this.lock = lock;
  }

  /**
   * Starts a run's output under {@code output}: checks that it can be written, finishes or removes
   * what earlier runs that died left behind (saying so on {@code log}), and makes this run's hidden
   * folder.
   *
   * @param tables the aggregate tables the run writes (whole folders it replaces)
   * @param deadLetterPrefixes the names that the run's dead-letter files start with ({@code
   *     dead_letters-trades-}): the files under {@code dead_letters/} it replaces
   */
  public static StagedTables begin(
      Path output, List<String> tables, List<String> deadLetterPrefixes, PrintStream log)
      throws OutputProblem {
    if (Files.exists(output) && !Files.isDirectory(output)) {
      throw new OutputProblem(
          "--output=" + output + " is a file, not a folder: name a folder (it is made if missing)");
    }
    Path runs = output.resolve(RUNS_FOLDER);
    Path staging;
    FileChannel channel = null;
    FileLock lock;
    try {
      Files.createDirectories(runs);
      staging = createRunFolder(runs);
      channel =
          FileChannel.open(
              lockFile(staging), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      lock = channel.lock();
    } catch (IOException e) {
      closeQuietly(channel);
      throw new OutputProblem(
          "cannot write to --output="
              + output
              + " ("
              + describe(e)
              + "): choose a folder you can write, or fix its permissions");
    }
    StagedTables run = new StagedTables(output, staging, tables, deadLetterPrefixes, channel, lock);
    run.recoverEarlierRuns(log);
    return run;
  }

  /** Where the run's pipeline writes its tables: {@code <this>/<table>/...}. */
  public Path root() {
    return staging;
  }

  /**
   * Swaps the run's tables in. Tables the run wrote no file for become empty folders: the output is
   * exactly this run's, as before.
   */
  @Override
  public synchronized void commit() throws IOException {
    if (finished) {
      throw new IllegalStateException("this run's output is already committed or abandoned");
    }
    for (String table : tables) {
      removeHiddenEntries(Files.createDirectories(staging.resolve(table)));
    }
    removeHiddenEntries(Files.createDirectories(staging.resolve(DEAD_LETTERS)));
    List<String> journal = new ArrayList<>();
    tables.forEach(t -> journal.add("table " + t));
    deadLetterPrefixes.forEach(p -> journal.add("dead-letters " + p));
    Path temp = staging.resolve(JOURNAL + ".partial");
    Files.write(temp, journal, StandardCharsets.UTF_8);
    Files.move(temp, staging.resolve(JOURNAL), StandardCopyOption.ATOMIC_MOVE);
    rollForward(output, staging);
    committed = true;
    finish();
  }

  /** Drops the run's unfinished output; every earlier table stays as it was. */
  @Override
  public synchronized void abandon() {
    if (finished) {
      return;
    }
    try {
      if (!Files.exists(staging.resolve(JOURNAL))) {
        deleteTree(staging);
      }
    } catch (IOException | UncheckedIOException e) {
      // The next run into this output removes it.
    }
    finish();
  }

  /** True once the run's tables are in place or its output dropped. */
  public synchronized boolean finished() {
    return finished;
  }

  /** True once the run's tables are in place. */
  @Override
  public synchronized boolean committed() {
    return committed;
  }

  /** The output root whose tables this run replaces. */
  @Override
  public String location() {
    return output.toString();
  }

  public Path output() {
    return output;
  }

  private void finish() {
    finished = true;
    try {
      lock.release();
    } catch (IOException e) {
      // Released with the channel below.
    }
    closeQuietly(lockChannel);
    try {
      Files.deleteIfExists(lockFile(staging));
    } catch (IOException e) {
      // An unlocked lock file is cleaned by the next run.
    }
  }

  /** Earlier runs whose process is gone: finish their commit, or remove their partial output. */
  private void recoverEarlierRuns(PrintStream log) {
    Path runs = staging.getParent();
    List<Path> earlier = new ArrayList<>();
    try (Stream<Path> entries = Files.list(runs)) {
      entries
          .filter(p -> Files.isDirectory(p) && !p.equals(staging))
          .sorted(Comparator.naturalOrder())
          .forEach(earlier::add);
    } catch (IOException e) {
      return;
    }
    for (Path dead : earlier) {
      if (heldByAnotherRun(dead)) {
        continue;
      }
      try {
        if (Files.exists(dead.resolve(JOURNAL))) {
          rollForward(output, dead);
          log.println(
              "coinbeam: finished the table swap of run "
                  + dead.getFileName()
                  + ", which stopped during it");
        } else {
          deleteTree(dead);
          log.println(
              "coinbeam: removed the unfinished output of run "
                  + dead.getFileName()
                  + ", which stopped before its tables were complete (they were never shown)");
        }
        Files.deleteIfExists(lockFile(dead));
      } catch (IOException | UncheckedIOException e) {
        log.println(
            "coinbeam: warning: could not clean up after run "
                + dead.getFileName()
                + " in "
                + runs
                + ": "
                + describe(e));
      }
    }
  }

  /** True when a live process holds the run's lock (a run into the same output, now). */
  private static boolean heldByAnotherRun(Path run) {
    Path lockFile = lockFile(run);
    if (!Files.exists(lockFile)) {
      return false;
    }
    try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
      FileLock probe = channel.tryLock();
      if (probe == null) {
        return true;
      }
      probe.release();
      return false;
    } catch (OverlappingFileLockException e) {
      return true; // held in this JVM
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Carries out a journalled commit; every step can be repeated, so a commit cut short by a kill is
   * finished by running this again.
   */
  static void rollForward(Path output, Path run) throws IOException {
    List<String> journal = Files.readAllLines(run.resolve(JOURNAL), StandardCharsets.UTF_8);
    Path replaced = run.resolve(REPLACED);
    List<String> prefixes = new ArrayList<>();
    for (String entry : journal) {
      if (entry.startsWith("table ")) {
        String table = entry.substring("table ".length());
        Path fresh = run.resolve(table);
        if (!Files.exists(fresh)) {
          continue; // already in place
        }
        Path current = output.resolve(table);
        if (Files.exists(current, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
          Files.createDirectories(replaced);
          Path aside = replaced.resolve(table);
          for (int n = 1; Files.exists(aside); n++) {
            aside = replaced.resolve(table + "." + n);
          }
          Files.move(current, aside, StandardCopyOption.ATOMIC_MOVE);
        }
        Files.move(fresh, current, StandardCopyOption.ATOMIC_MOVE);
      } else if (entry.startsWith("dead-letters ")) {
        prefixes.add(entry.substring("dead-letters ".length()));
      }
    }
    replaceDeadLetters(output.resolve(DEAD_LETTERS), run.resolve(DEAD_LETTERS), prefixes);
    deleteTree(run);
  }

  /**
   * Moves the run's dead-letter files in, then deletes the older files of the same streams. Moving
   * first means a reader never finds a stream without its dead letters. The new files' names are
   * noted before anything moves, so a repeat after a kill still knows which files are new.
   */
  private static void replaceDeadLetters(Path target, Path fresh, List<String> prefixes)
      throws IOException {
    Files.createDirectories(target);
    Path keepList = fresh.resolveSibling(fresh.getFileName() + ".names");
    Set<String> newNames = new TreeSet<>();
    if (Files.exists(keepList)) {
      newNames.addAll(Files.readAllLines(keepList, StandardCharsets.UTF_8));
    }
    if (Files.isDirectory(fresh)) {
      try (Stream<Path> files = Files.list(fresh)) {
        files.filter(Files::isRegularFile).forEach(f -> newNames.add(f.getFileName().toString()));
      }
      Path temp = keepList.resolveSibling(keepList.getFileName() + ".partial");
      Files.write(temp, newNames, StandardCharsets.UTF_8);
      Files.move(temp, keepList, StandardCopyOption.ATOMIC_MOVE);
      try (Stream<Path> files = Files.list(fresh)) {
        for (Path file : files.filter(Files::isRegularFile).toList()) {
          Files.move(
              file,
              target.resolve(file.getFileName().toString()),
              StandardCopyOption.ATOMIC_MOVE,
              StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
    try (Stream<Path> files = Files.list(target)) {
      for (Path file : files.toList()) {
        String name = file.getFileName().toString();
        if (!newNames.contains(name) && prefixes.stream().anyMatch(name::startsWith)) {
          Files.deleteIfExists(file);
        }
      }
    }
  }

  /**
   * What the writers left beside the files: Beam's FileIO removes its temporary files but can leave
   * their (hidden) folder, which would otherwise be swapped in with the table.
   */
  private static void removeHiddenEntries(Path folder) throws IOException {
    try (Stream<Path> entries = Files.list(folder)) {
      for (Path entry : entries.toList()) {
        if (entry.getFileName().toString().startsWith(".")) {
          deleteTree(entry);
        }
      }
    }
  }

  private static Path lockFile(Path run) {
    return run.resolveSibling(run.getFileName() + ".lock");
  }

  /** {@code <UTC time>-<pid>}, with {@code -<n>} added when one process starts several runs. */
  private static Path createRunFolder(Path runs) throws IOException {
    long pid = ManagementFactory.getRuntimeMXBean().getPid();
    String id = RUN_TIME.format(ZonedDateTime.now(ZoneOffset.UTC)) + "-" + pid;
    for (int n = 1; ; n++) {
      try {
        return Files.createDirectory(runs.resolve(n == 1 ? id : id + "-" + n));
      } catch (FileAlreadyExistsException e) {
        if (!Files.isDirectory(runs.resolve(n == 1 ? id : id + "-" + n))) {
          throw e;
        }
      }
    }
  }

  /**
   * Deletes a folder and everything in it. A stopped run's workers may still be writing into it (a
   * signal's shutdown hook runs beside them), so what appears or vanishes meanwhile is retried.
   */
  static void deleteTree(Path root) throws IOException {
    IOException last = null;
    for (int attempt = 0; attempt < 20; attempt++) {
      if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        return;
      }
      try (Stream<Path> walk = Files.walk(root)) {
        for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
        return;
      } catch (IOException e) {
        last = e;
      } catch (UncheckedIOException e) {
        last = e.getCause();
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    throw last != null ? last : new IOException("could not delete " + root);
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException e) {
        // Nothing to keep.
      }
    }
  }

  private static String describe(Exception e) {
    if (e instanceof AccessDeniedException) {
      return "permission denied: " + ((AccessDeniedException) e).getFile();
    }
    if (e instanceof NotDirectoryException || e instanceof FileAlreadyExistsException) {
      return "not a folder: " + ((java.nio.file.FileSystemException) e).getFile();
    }
    if (e instanceof NoSuchFileException) {
      return "no such folder: " + ((NoSuchFileException) e).getFile();
    }
    return e.toString();
  }
}
