package dev.quarry.workflows.round;

import dev.quarry.workflows.Usage;
import java.util.Map;

/**
 * A live view of a round, answered by its progress query.
 *
 * @param failedPrompts prompts whose child workflow failed, by reason; they count as done
 */
public record RoundProgress(
    int round,
    String stage,
    boolean paused,
    int promptsTotal,
    int promptsStarted,
    int promptsDone,
    int candidatesDone,
    int validCandidates,
    int rolloutsDone,
    int executionsDone,
    Map<String, Integer> invalidReasons,
    Usage usage,
    Map<String, Integer> failedPrompts) {
  public RoundProgress {
    invalidReasons = invalidReasons == null ? Map.of() : Map.copyOf(invalidReasons);
    failedPrompts = failedPrompts == null ? Map.of() : Map.copyOf(failedPrompts);
  }

  /** The total of {@link #failedPrompts}. */
  public int failedPromptCount() {
    return failedPrompts.values().stream().mapToInt(Integer::intValue).sum();
  }
}
