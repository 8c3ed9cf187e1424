package dev.quarry.core.scalequest;

import dev.quarry.core.artifacts.SamplingRecord;

/** A question as the generator wrote it, continuing the raw prefix (its prompt). */
public record QuestionArtifact(
    String prefix, String question, SamplingRecord sampling, String generatorVersion) {}
