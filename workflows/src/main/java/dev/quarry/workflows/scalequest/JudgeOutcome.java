package dev.quarry.workflows.scalequest;

import dev.quarry.core.artifacts.ArtifactRef;
import dev.quarry.core.scalequest.SolvabilityVerdict;
import dev.quarry.workflows.TokenUsage;

/**
 * The judge's final verdict and, in the store, its full reply.
 *
 * @param rejection why the endpoint refused the request (the verdict is then NO_VERDICT)
 */
public record JudgeOutcome(
    SolvabilityVerdict verdict, ArtifactRef reply, String rejection, TokenUsage usage) {}
