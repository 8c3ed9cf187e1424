package dev.quarry.workflows.sparq;

import dev.quarry.core.artifacts.ArtifactRef;
import dev.quarry.core.config.RoleConfig;

/** Ask the generator for a new problem and its solution, from a parent problem. */
public record GenerateMathRequest(
    String key, ArtifactRef parent, RoleConfig generator, String generatorVersion, long seed) {}
