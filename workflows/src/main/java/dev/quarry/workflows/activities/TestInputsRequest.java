package dev.quarry.workflows.activities;

import dev.quarry.core.artifacts.ArtifactRef;
import dev.quarry.core.config.RoleConfig;

/** Ask the test writer for T test inputs of one candidate problem. */
public record TestInputsRequest(
    String key, ArtifactRef problem, RoleConfig testWriter, int count, long seed) {}
