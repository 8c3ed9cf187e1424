package dev.quarry.core.artifacts;

import java.util.List;

/**
 * The solver rollouts of one candidate that exist: the programs, the replies they were taken from,
 * and how each was sampled (one of each per reply).
 *
 * @param missing one reason per rollout asked for but not returned by the endpoint (refused,
 *     filtered, never sent back); such a rollout has no program and is not run. Empty in artifacts
 *     written before missing replies were kept apart.
 * @param rolloutsUsed rollouts asked for over every wave (existing and missing); null in artifacts
 *     of one fixed request, which asked for the whole budget
 * @param stopReason why sampling stopped ({@code StopReason}); null in those artifacts
 */
public record RolloutsArtifact(
    List<String> programs,
    List<String> rawReplies,
    List<SamplingRecord> sampling,
    List<String> missing,
    Integer rolloutsUsed,
    String stopReason) {
  public RolloutsArtifact {
    missing = missing == null ? List.of() : List.copyOf(missing);
  }

  public RolloutsArtifact(
      List<String> programs,
      List<String> rawReplies,
      List<SamplingRecord> sampling,
      List<String> missing) {
    this(programs, rawReplies, sampling, missing, null, null);
  }

  public RolloutsArtifact(
      List<String> programs, List<String> rawReplies, List<SamplingRecord> sampling) {
    this(programs, rawReplies, sampling, List.of());
  }
}
