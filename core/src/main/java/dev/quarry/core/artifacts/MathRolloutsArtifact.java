package dev.quarry.core.artifacts;

import java.util.List;

/**
 * The solver rollouts of a math problem that exist: full texts, the final answer each states (null
 * when none), and the sampling of each.
 *
 * @param missing one reason per rollout asked for but not returned by the endpoint; such a rollout
 *     is neither right nor wrong and is not in the solve rate's denominator. Empty in artifacts
 *     written before missing replies were kept apart.
 * @param rolloutsUsed rollouts asked for (those that exist and those missing); null in artifacts
 *     written before adaptive rollouts, which always asked for the whole budget
 * @param stopReason why sampling stopped ({@code StopReason}); null in those artifacts
 */
public record MathRolloutsArtifact(
    List<String> texts,
    List<String> answers,
    List<SamplingRecord> sampling,
    List<String> missing,
    Integer rolloutsUsed,
    String stopReason) {
  public MathRolloutsArtifact {
    missing = missing == null ? List.of() : List.copyOf(missing);
  }

  public MathRolloutsArtifact(
      List<String> texts,
      List<String> answers,
      List<SamplingRecord> sampling,
      List<String> missing) {
    this(texts, answers, sampling, missing, null, null);
  }

  public MathRolloutsArtifact(
      List<String> texts, List<String> answers, List<SamplingRecord> sampling) {
    this(texts, answers, sampling, List.of());
  }
}
