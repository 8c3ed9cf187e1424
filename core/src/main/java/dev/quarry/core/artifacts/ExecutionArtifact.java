package dev.quarry.core.artifacts;

import dev.quarry.core.sandbox.Comparison;
import dev.quarry.core.sandbox.ExecutionOutcome;
import java.util.List;

/** Every rollout run on every input of a candidate, as the sandbox reported it. */
public record ExecutionArtifact(List<ExecutionOutcome> outcomes, Comparison comparison) {}
