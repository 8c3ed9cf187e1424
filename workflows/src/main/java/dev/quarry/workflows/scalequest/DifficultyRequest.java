package dev.quarry.workflows.scalequest;

import dev.quarry.core.artifacts.ArtifactRef;
import dev.quarry.core.config.RoleConfig;

/** Sample the solver n times on a question and measure its fail rate. */
public record DifficultyRequest(
    String key, ArtifactRef question, RoleConfig solver, int samples, long seed) {}
