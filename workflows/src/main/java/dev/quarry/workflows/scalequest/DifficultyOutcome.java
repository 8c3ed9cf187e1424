package dev.quarry.workflows.scalequest;

import dev.quarry.core.artifacts.ArtifactRef;
import dev.quarry.core.scalequest.FailRate;
import dev.quarry.workflows.TokenUsage;

/**
 * The fail rate of n solver samples, and the samples in the store.
 *
 * @param rejection why the endpoint refused the request (the fail rate then counts no answers)
 * @param samplesUsed samples asked for (existing and missing); null in outcomes recorded before
 *     adaptive rollouts, which always asked for all n
 * @param stopReason why sampling stopped ({@code StopReason}); null in those outcomes
 */
public record DifficultyOutcome(
    FailRate failRate,
    ArtifactRef samples,
    String rejection,
    TokenUsage usage,
    Integer samplesUsed,
    String stopReason) {
  public DifficultyOutcome(
      FailRate failRate, ArtifactRef samples, String rejection, TokenUsage usage) {
    this(failRate, samples, rejection, usage, null, null);
  }
}
