package dev.quarry.workflows.scalequest;

import dev.quarry.core.artifacts.ArtifactRef;
import dev.quarry.core.config.RoleConfig;

/** Ask the judge whether a question is solvable. */
public record JudgeRequest(String key, ArtifactRef question, RoleConfig judge, long seed) {}
