package dev.quarry.workflows.prompt;

import dev.quarry.core.artifacts.ArtifactRef;
import dev.quarry.core.difficulty.DifficultyScore;
import java.util.Map;

/**
 * Everything known about one candidate after evaluation. Refs are null for stages the candidate
 * never reached; {@code invalidReason} then says why.
 */
public record CandidateSummary(
    int candidateIndex,
    ArtifactRef problem,
    ArtifactRef tests,
    ArtifactRef rollouts,
    ArtifactRef execution,
    Map<String, Integer> verdictCounts,
    DifficultyScore score,
    String invalidReason) {

  public CandidateSummary {
    verdictCounts = verdictCounts == null ? Map.of() : Map.copyOf(verdictCounts);
  }

  public boolean valid() {
    return invalidReason == null && score != null && score.valid();
  }

  public static CandidateSummary invalid(int candidateIndex, ArtifactRef problem, String reason) {
    return new CandidateSummary(candidateIndex, problem, null, null, null, Map.of(), null, reason);
  }
}
