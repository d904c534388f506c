package io.coinbeam.bench;

import java.util.List;
import java.util.Optional;

/**
 * One measured step of the streaming ramp: trades sent at a target rate for a while, then how fresh
 * they arrived in the sink, and whether the runner kept up.
 *
 * @param runner the contender id (direct, flink)
 * @param targetRate trades per second the producer aimed at
 * @param achievedRate trades per second it actually sent (trades / time from first send to flush)
 * @param trades trades sent
 * @param freshnessMillis send to visible in the sink, per seen trade, ascending
 * @param toWrittenMillis send to the sink's written_at, per seen trade, ascending
 * @param drainMillis after the producer stopped, until the last trade was visible (-1: never)
 * @param outcome passed, or why not
 */
public record RampStep(
    String runner,
    int targetRate,
    double achievedRate,
    long trades,
    long[] freshnessMillis,
    long[] toWrittenMillis,
    long drainMillis,
    Outcome outcome) {

  /** How a step ended. */
  public enum Verdict {
    /** Kept up: the rate was reached and every trade was visible within the drain limit. */
    PASSED,
    /** Correct output but did not keep up: the ramp's end, not an error. */
    NOT_SUSTAINED,
    /** Wrong output, or the pipeline died or never started: an error; the step is not timed. */
    FAILED
  }

  /** A verdict and the reason for it (empty when passed). */
  public record Outcome(Verdict verdict, String reason) {
    public boolean passed() {
      return verdict == Verdict.PASSED;
    }
  }

  /** The producer must reach at least this share of the target rate for a step to count. */
  public static final double MIN_RATE_SHARE = 0.95;

  /**
   * The pass rule. Failures first (wrong output, dead pipeline: the step is an error whatever its
   * timing), then keeping up: every trade visible within the drain limit and the producer at
   * {@value #MIN_RATE_SHARE} of the target or more.
   *
   * @param outputProblems what the output check found (empty: exact)
   * @param pipelineAlive whether the runner's process was still running at the end of the step
   * @param unseen trades not visible when the drain limit ran out
   */
  public static Outcome judge(
      int targetRate,
      double achievedRate,
      long unseen,
      List<String> outputProblems,
      boolean pipelineAlive) {
    if (!pipelineAlive) {
      return new Outcome(Verdict.FAILED, "the pipeline process ended during the step");
    }
    if (unseen == 0 && !outputProblems.isEmpty()) {
      return new Outcome(
          Verdict.FAILED,
          "output differs: "
              + String.join("; ", outputProblems.subList(0, Math.min(3, outputProblems.size())))
              + (outputProblems.size() > 3
                  ? " (and " + (outputProblems.size() - 3) + " more)"
                  : ""));
    }
    if (unseen > 0) {
      return new Outcome(
          Verdict.NOT_SUSTAINED,
          String.format(
              java.util.Locale.ROOT, "%,d trades not visible within the drain limit", unseen));
    }
    if (achievedRate < MIN_RATE_SHARE * targetRate) {
      return new Outcome(
          Verdict.NOT_SUSTAINED,
          String.format(
              java.util.Locale.ROOT,
              "the producer reached %.0f trades/s, under %.0f%% of the target",
              achievedRate,
              MIN_RATE_SHARE * 100));
    }
    return new Outcome(Verdict.PASSED, "");
  }

  /**
   * The highest sustained rate of one runner's ramp: the rate of the last step that passed before
   * the first that did not (steps are in ramp order), empty when the first step did not pass.
   */
  public static Optional<Integer> sustainedRate(List<RampStep> ramp) {
    Optional<Integer> best = Optional.empty();
    for (RampStep step : ramp) {
      if (!step.outcome().passed()) {
        break;
      }
      best = Optional.of(step.targetRate());
    }
    return best;
  }
}
