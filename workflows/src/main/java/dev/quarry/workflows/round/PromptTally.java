package dev.quarry.workflows.round;

import dev.quarry.workflows.Usage;
import dev.quarry.workflows.prompt.PromptOutcome;
import dev.quarry.workflows.scalequest.QuestionOutcome;
import dev.quarry.workflows.sparq.SparqPromptOutcome;
import java.util.Map;
import java.util.TreeMap;

/**
 * Immutable counts over some finished prompts, whatever the method: a round's progress and result,
 * and what a prompt batch reports to its round (by signal as it goes, the rest in its result), so
 * the round counts every prompt without holding one event per prompt. Each method's outcome folds
 * in with one {@code plus}; a prompt whose child workflow failed folds in with {@link #plusFailed},
 * counted with its reason, and the round goes on.
 *
 * <p>A "candidate" is what a method judges valid or not: a QueST candidate, a ScaleQuest question,
 * a SPARQ problem.
 *
 * @param started prompts started since the last report
 * @param prompts prompts finished, failed ones included
 * @param failedPrompts prompts whose child failed, by reason; empty in histories from before
 */
public record PromptTally(
    int started,
    int prompts,
    int candidates,
    int validCandidates,
    int rollouts,
    int executions,
    double selectedDeltaSum,
    int selectedCount,
    Map<String, Integer> invalidReasons,
    Usage usage,
    Map<String, Integer> failedPrompts) {
  public static final PromptTally ZERO =
      new PromptTally(0, 0, 0, 0, 0, 0, 0, 0, Map.of(), Usage.ZERO, Map.of());

  public PromptTally {
    invalidReasons = invalidReasons == null ? Map.of() : Map.copyOf(invalidReasons);
    usage = usage == null ? Usage.ZERO : usage;
    failedPrompts = failedPrompts == null ? Map.of() : Map.copyOf(failedPrompts);
  }

  public PromptTally plusStarted(int more) {
    return new PromptTally(
        started + more,
        prompts,
        candidates,
        validCandidates,
        rollouts,
        executions,
        selectedDeltaSum,
        selectedCount,
        invalidReasons,
        usage,
        failedPrompts);
  }

  /** A QueST prompt: its K candidates, and the hardest valid one's δ when one was selected. */
  public PromptTally plus(PromptOutcome outcome) {
    boolean selected = outcome.selectedCandidate() >= 0;
    return add(
        1,
        outcome.candidates(),
        outcome.validCandidates(),
        outcome.rollouts(),
        outcome.executions(),
        selected ? outcome.selectedDelta() : 0,
        selected ? 1 : 0,
        outcome.invalidReasons(),
        outcome.usage(),
        Map.of());
  }

  /** A ScaleQuest question: one candidate; a kept one's fail rate is its difficulty. */
  public PromptTally plus(QuestionOutcome outcome) {
    boolean kept = outcome.kept();
    return add(
        1,
        1,
        kept ? 1 : 0,
        outcome.solverSamples(),
        0,
        kept ? outcome.failRate() : 0,
        kept ? 1 : 0,
        kept ? Map.of() : Map.of(outcome.rejectedBy(), 1),
        outcome.usage(),
        Map.of());
  }

  /** A SPARQ prompt: one problem, valid or not (its quality is averaged by the shard writer). */
  public PromptTally plus(SparqPromptOutcome outcome) {
    boolean valid = outcome.valid();
    return add(
        1,
        1,
        valid ? 1 : 0,
        outcome.rollouts(),
        0,
        0,
        0,
        valid ? Map.of() : Map.of(outcome.invalidReason(), 1),
        outcome.usage(),
        Map.of());
  }

  /** A prompt whose child workflow failed: finished, no candidate counted, its reason kept. */
  public PromptTally plusFailed(String reason) {
    return add(1, 0, 0, 0, 0, 0, 0, Map.of(), Usage.ZERO, Map.of(reason, 1));
  }

  /** Tokens spent for the round as a whole, outside any prompt (concept extraction). */
  public PromptTally plusUsage(Usage more) {
    return add(0, 0, 0, 0, 0, 0, 0, Map.of(), more, Map.of());
  }

  /** Another tally's counts (a batch's report), its starts included. */
  public PromptTally plus(PromptTally other) {
    return add(
            other.prompts,
            other.candidates,
            other.validCandidates,
            other.rollouts,
            other.executions,
            other.selectedDeltaSum,
            other.selectedCount,
            other.invalidReasons,
            other.usage,
            other.failedPrompts)
        .plusStarted(other.started);
  }

  public int invalidCandidates() {
    return candidates - validCandidates;
  }

  /** The mean δ (QueST) or fail rate (ScaleQuest) of the selected candidates; 0 when none. */
  public double meanSelected() {
    return selectedCount == 0 ? 0 : selectedDeltaSum / selectedCount;
  }

  private PromptTally add(
      int morePrompts,
      int moreCandidates,
      int moreValid,
      int moreRollouts,
      int moreExecutions,
      double moreSelectedDelta,
      int moreSelected,
      Map<String, Integer> moreInvalid,
      Usage moreUsage,
      Map<String, Integer> moreFailed) {
    return new PromptTally(
        started,
        prompts + morePrompts,
        candidates + moreCandidates,
        validCandidates + moreValid,
        rollouts + moreRollouts,
        executions + moreExecutions,
        selectedDeltaSum + moreSelectedDelta,
        selectedCount + moreSelected,
        merged(invalidReasons, moreInvalid),
        usage.plus(moreUsage),
        merged(failedPrompts, moreFailed));
  }

  private static Map<String, Integer> merged(Map<String, Integer> a, Map<String, Integer> b) {
    if (b.isEmpty()) {
      return a;
    }
    Map<String, Integer> sum = new TreeMap<>(a);
    b.forEach((reason, n) -> sum.merge(reason, n, Integer::sum));
    return sum;
  }
}
