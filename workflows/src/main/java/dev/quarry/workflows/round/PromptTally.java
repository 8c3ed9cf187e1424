package dev.quarry.workflows.round;

import dev.quarry.workflows.Usage;
import dev.quarry.workflows.prompt.PromptOutcome;
import java.util.Map;
import java.util.TreeMap;

/**
 * Counts over some finished prompts: what a prompt batch reports to its round (by signal as it
 * goes, the rest in its result), so the round's progress counts every prompt without holding one
 * event per prompt.
 *
 * @param started prompts started since the last report
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
    Usage usage) {
  public static final PromptTally ZERO = new PromptTally(0, 0, 0, 0, 0, 0, 0, 0, Map.of(), Usage.ZERO);

  public PromptTally {
    invalidReasons = invalidReasons == null ? Map.of() : Map.copyOf(invalidReasons);
    usage = usage == null ? Usage.ZERO : usage;
  }

  public PromptTally plusStarted(int more) {
    return new PromptTally(
        started + more, prompts, candidates, validCandidates, rollouts, executions,
        selectedDeltaSum, selectedCount, invalidReasons, usage);
  }

  public PromptTally plus(PromptOutcome outcome) {
    Map<String, Integer> reasons = new TreeMap<>(invalidReasons);
    outcome.invalidReasons().forEach((reason, n) -> reasons.merge(reason, n, Integer::sum));
    boolean selected = outcome.selectedCandidate() >= 0;
    return new PromptTally(
        started,
        prompts + 1,
        candidates + outcome.candidates(),
        validCandidates + outcome.validCandidates(),
        rollouts + outcome.rollouts(),
        executions + outcome.executions(),
        selectedDeltaSum + (selected ? outcome.selectedDelta() : 0),
        selectedCount + (selected ? 1 : 0),
        reasons,
        usage.plus(outcome.usage()));
  }
}
