package io.coinbeam.io;

import java.io.IOException;

/**
 * A batch run's new tables, written out of sight: put in place when the run worked, dropped when it
 * did not, so a reader never sees a half-written output (Parquet on local disk does this).
 */
public interface StagedOutput {
  /** Puts the new tables in place of the earlier ones. */
  void commit() throws IOException;

  /**
   * Drops the new tables and leaves the earlier ones as they were; waits for a commit under way.
   */
  void abandon();

  /** Whether {@link #commit} finished. */
  boolean committed();

  /** Where the tables are put, for messages. */
  String location();
}
