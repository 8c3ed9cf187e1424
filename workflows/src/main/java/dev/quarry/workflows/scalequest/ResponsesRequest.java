package dev.quarry.workflows.scalequest;

import dev.quarry.core.artifacts.ArtifactRef;
import dev.quarry.core.config.RoleConfig;

/** Sample N responses to a question, then score them with the reward model. */
public record ResponsesRequest(
    String key,
    ArtifactRef question,
    RoleConfig solver,
    RoleConfig rewardModel,
    int responses,
    long seed) {}
