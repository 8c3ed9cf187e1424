package dev.quarry.workflows.activities;

import dev.quarry.core.artifacts.ArtifactRef;
import dev.quarry.workflows.TokenUsage;

/**
 * The stored test inputs, or why there are none.
 *
 * @param tests null when {@code invalidReason} is set
 */
public record TestInputsResult(
    ArtifactRef tests, int count, String invalidReason, TokenUsage usage) {}
