package dev.quarry.workflows.sparq;

import dev.quarry.core.artifacts.ArtifactRef;
import dev.quarry.core.config.RoleConfig;

/** Ask the solver for K independent solutions of a generated problem. */
public record SolveMathRequest(String key, ArtifactRef problem, RoleConfig solver, int rollouts, long seed) {}
