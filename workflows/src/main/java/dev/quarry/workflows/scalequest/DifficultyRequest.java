package dev.quarry.workflows.scalequest;

import dev.quarry.core.artifacts.ArtifactRef;
import dev.quarry.core.config.RoleConfig;
import dev.quarry.core.config.RolloutsConfig;

/**
 * Sample the solver n times on a question and measure its fail rate.
 *
 * @param minReplies the fewest samples that must exist for a fail rate; null (requests recorded
 *     before it existed) means half of {@code samples}, rounded up
 * @param minFailRate the kept band's lower edge, which adaptive sampling decides with
 * @param maxFailRate the kept band's upper edge
 * @param waves adaptive rollouts; null (requests recorded before it) or off: n in one request
 */
public record DifficultyRequest(
    String key,
    ArtifactRef question,
    RoleConfig solver,
    int samples,
    long seed,
    Integer minReplies,
    double minFailRate,
    double maxFailRate,
    RolloutsConfig waves) {
  public DifficultyRequest(
      String key, ArtifactRef question, RoleConfig solver, int samples, long seed) {
    this(key, question, solver, samples, seed, null);
  }

  public DifficultyRequest(
      String key,
      ArtifactRef question,
      RoleConfig solver,
      int samples,
      long seed,
      Integer minReplies) {
    this(key, question, solver, samples, seed, minReplies, 0, 1, null);
  }

  /** {@link #minReplies} with its default applied. */
  public int minSamples() {
    return minReplies != null ? minReplies : (samples + 1) / 2;
  }
}
