package dev.quarry.workflows.activities;

import dev.quarry.core.artifacts.ArtifactRef;
import dev.quarry.core.config.SandboxConfig;

/** Run every rollout of a candidate on every one of its test inputs, in one container. */
public record ExecuteRequest(
    String key, ArtifactRef rollouts, ArtifactRef tests, SandboxConfig sandbox) {}
