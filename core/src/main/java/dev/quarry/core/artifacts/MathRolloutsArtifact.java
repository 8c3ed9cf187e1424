package dev.quarry.core.artifacts;

import java.util.List;

/**
 * The K solver rollouts of a math problem: full texts, the final answer each states (null when
 * none), and the sampling of each.
 */
public record MathRolloutsArtifact(List<String> texts, List<String> answers, List<SamplingRecord> sampling) {}
