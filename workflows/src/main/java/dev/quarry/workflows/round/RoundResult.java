package dev.quarry.workflows.round;

import dev.quarry.workflows.Usage;
import dev.quarry.workflows.activities.ShardResult;
import java.util.Map;

/**
 * A finished round: its counts, why candidates were invalid, and where its data went.
 *
 * @param failedPrompts prompts whose child workflow failed, by reason (empty in older histories)
 */
public record RoundResult(
    int round,
    String generatorVersion,
    int prompts,
    int candidates,
    int validCandidates,
    int invalidCandidates,
    Map<String, Integer> invalidReasons,
    double meanSelectedDelta,
    Usage usage,
    ShardResult shard,
    Map<String, Integer> failedPrompts) {
  public RoundResult {
    invalidReasons = invalidReasons == null ? Map.of() : Map.copyOf(invalidReasons);
    failedPrompts = failedPrompts == null ? Map.of() : Map.copyOf(failedPrompts);
  }

  /** The total of {@link #failedPrompts}. */
  public int failedPromptCount() {
    return failedPrompts.values().stream().mapToInt(Integer::intValue).sum();
  }
}
