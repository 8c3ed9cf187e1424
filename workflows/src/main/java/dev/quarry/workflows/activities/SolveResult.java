package dev.quarry.workflows.activities;

import dev.quarry.core.artifacts.ArtifactRef;
import dev.quarry.workflows.TokenUsage;

/** The stored rollouts of one candidate. */
public record SolveResult(ArtifactRef rollouts, int count, TokenUsage usage) {}
