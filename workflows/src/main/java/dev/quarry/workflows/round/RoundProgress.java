package dev.quarry.workflows.round;

import dev.quarry.workflows.Usage;
import java.util.Map;

/** A live view of a round, answered by its progress query. */
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
    Usage usage) {
  public RoundProgress {
    invalidReasons = invalidReasons == null ? Map.of() : Map.copyOf(invalidReasons);
  }
}
