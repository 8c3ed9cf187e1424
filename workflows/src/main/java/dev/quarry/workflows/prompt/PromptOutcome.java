package dev.quarry.workflows.prompt;

import dev.quarry.workflows.Usage;
import java.util.Map;

/**
 * What a round needs to know of a finished prompt: small on purpose, since the round's history
 * holds one per prompt. The full record sits in the store under the prompt's key.
 */
public record PromptOutcome(
    int promptIndex,
    int candidates,
    int validCandidates,
    int selectedCandidate,
    double selectedDelta,
    int rollouts,
    int executions,
    Map<String, Integer> invalidReasons,
    Usage usage) {
  public PromptOutcome {
    invalidReasons = invalidReasons == null ? Map.of() : Map.copyOf(invalidReasons);
  }
}
