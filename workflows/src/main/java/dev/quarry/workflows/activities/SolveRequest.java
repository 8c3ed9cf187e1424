package dev.quarry.workflows.activities;

import dev.quarry.core.artifacts.ArtifactRef;
import dev.quarry.core.config.RoleConfig;

/** Ask the solver for M independent solutions (rollouts) of one candidate problem. */
public record SolveRequest(
    String key, ArtifactRef problem, RoleConfig solver, int rollouts, long seed) {}
