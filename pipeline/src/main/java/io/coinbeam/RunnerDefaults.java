package io.coinbeam;

import java.util.ArrayList;
import java.util.List;

/**
 * Runner flags coinbeam sets unless the user does, so that the fast and working settings are the
 * ones a user gets without knowing them (as text: the runners' own option classes are not on every
 * jar's compile path). Each was measured with {@code make bench}; see docs/BENCHMARKS.md.
 */
final class RunnerDefaults {
  private RunnerDefaults() {}

  /** The flags for {@code runner} (Beam's runner class name) in batch or streaming. */
  static List<String> flags(String runner, boolean streaming) {
    List<String> flags = new ArrayList<>();
    if (runner.equals("DirectRunner")) {
      // The Direct runner's mutation and encoding checks copy and re-encode every element and cost
      // the bundled sample about two thirds of its run time; they check user DoFns, which the
      // project's TestPipeline tests do with the checks on.
      flags.add("--enforceImmutability=false");
      flags.add("--enforceEncodability=false");
    }
    if (streaming) {
      // pipeline.run() must return while the job runs, for progress lines and --runFor; Flink
      // needs checkpoints, at which it commits Kafka offsets and puts closed windows' Parquet files
      // in place (without them FileIO's stable input never settles), every 5 s as the Makefile's
      // CHECKPOINT_MS.
      switch (runner) {
        case "DirectRunner" -> flags.add("--blockOnRun=false");
        case "FlinkRunner" ->
            // Bundles of up to 100 ms (Flink's default is 1 s): rows are folded per bundle before
            // the keyed combine (SummarizeEachBundleInWindows), so a bundle's length is a wait
            // before a trade can reach its early pane; 10,000 rows, so that at high rates a
            // bundle still folds many rows per key.
            flags.addAll(
                List.of(
                    "--attachedMode=false",
                    "--checkpointingInterval=5000",
                    "--maxBundleTimeMills=100",
                    "--maxBundleSize=10000"));
        default -> {}
      }
    }
    return flags;
  }

  /** {@code args} with each default flag added whose name the user did not give. */
  static String[] withDefaults(String[] args, String runner, boolean streaming) {
    List<String> all = new ArrayList<>(List.of(args));
    for (String flag : flags(runner, streaming)) {
      String name = flag.substring(0, flag.indexOf('=') + 1);
      if (all.stream().noneMatch(a -> a.startsWith(name))) {
        all.add(flag);
      }
    }
    return all.toArray(String[]::new);
  }
}
