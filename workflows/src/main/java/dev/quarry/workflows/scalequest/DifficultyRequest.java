package dev.quarry.workflows.scalequest;

import dev.quarry.core.artifacts.ArtifactRef;
import dev.quarry.core.config.RoleConfig;

/**
 * Sample the solver n times on a question and measure its fail rate.
 *
 * @param minReplies the fewest samples that must exist for a fail rate; null (requests recorded
 *     before it existed) means half of {@code samples}, rounded up
 */
public record DifficultyRequest(
    String key, ArtifactRef question, RoleConfig solver, int samples, long seed, Integer minReplies) {
  public DifficultyRequest(String key, ArtifactRef question, RoleConfig solver, int samples, long seed) {
    this(key, question, solver, samples, seed, null);
  }

  /** {@link #minReplies} with its default applied. */
  public int minSamples() {
    return minReplies != null ? minReplies : (samples + 1) / 2;
  }
}
