package dev.quarry.workflows.sparq;

import dev.quarry.core.artifacts.ArtifactRef;
import dev.quarry.workflows.TokenUsage;

/**
 * A generated problem in the artifact store ({@code MathProblemArtifact}).
 *
 * @param referenceAnswer the final answer of the generator's own solution
 * @param invalidReason why the problem cannot be measured; null when it can
 */
public record GeneratedMath(
    ArtifactRef problem, String referenceAnswer, String invalidReason, TokenUsage usage) {}
