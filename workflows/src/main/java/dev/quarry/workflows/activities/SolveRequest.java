package dev.quarry.workflows.activities;

import dev.quarry.core.artifacts.ArtifactRef;
import dev.quarry.core.config.RoleConfig;
import dev.quarry.core.sandbox.Language;

/**
 * Ask the solver for M independent solutions (rollouts) of one candidate problem.
 *
 * @param language the sandbox language the programs must be in (python or cpp); null in requests
 *     recorded before C++ existed, which meant python
 */
public record SolveRequest(
    String key,
    ArtifactRef problem,
    RoleConfig solver,
    int rollouts,
    long seed,
    Language language) {
  public SolveRequest(String key, ArtifactRef problem, RoleConfig solver, int rollouts, long seed) {
    this(key, problem, solver, rollouts, seed, Language.PYTHON);
  }

  public SolveRequest {
    language = language == null ? Language.PYTHON : language;
  }
}
