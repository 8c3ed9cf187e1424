package dev.quarry.workflows.scalequest;

import dev.quarry.core.artifacts.ArtifactRef;
import dev.quarry.core.scalequest.FailRate;
import dev.quarry.workflows.TokenUsage;

/**
 * The fail rate of n solver samples, and the samples in the store.
 *
 * @param rejection why the endpoint refused the request (the fail rate then counts no answers)
 */
public record DifficultyOutcome(
    FailRate failRate, ArtifactRef samples, String rejection, TokenUsage usage) {}
