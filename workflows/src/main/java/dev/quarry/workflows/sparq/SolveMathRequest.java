package dev.quarry.workflows.sparq;

import dev.quarry.core.artifacts.ArtifactRef;
import dev.quarry.core.config.RoleConfig;
import dev.quarry.core.config.RolloutsConfig;
import dev.quarry.core.config.SparqConfig;

/**
 * Ask the solver for K independent solutions of a generated problem.
 *
 * @param referenceAnswer the generator's answer, which adaptive sampling checks rollouts against
 * @param sparq the solve-rate band and answer tolerance adaptive sampling decides with
 * @param waves adaptive rollouts; null (requests recorded before it) or off: K in one request
 */
public record SolveMathRequest(
    String key,
    ArtifactRef problem,
    RoleConfig solver,
    int rollouts,
    long seed,
    String referenceAnswer,
    SparqConfig sparq,
    RolloutsConfig waves) {
  public SolveMathRequest(
      String key, ArtifactRef problem, RoleConfig solver, int rollouts, long seed) {
    this(key, problem, solver, rollouts, seed, null, null, null);
  }
}
