package dev.quarry.workflows.sparq;

import dev.quarry.core.artifacts.ArtifactRef;
import dev.quarry.core.config.SparqConfig;

/** Solve rate of stored rollouts against the reference answer, and the quality it gives. */
public record ScoreSolveRateRequest(
    String key, ArtifactRef rollouts, String referenceAnswer, SparqConfig sparq) {}
