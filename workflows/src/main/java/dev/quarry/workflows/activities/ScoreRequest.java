package dev.quarry.workflows.activities;

import dev.quarry.core.artifacts.ArtifactRef;
import dev.quarry.core.config.ValidityConfig;
import dev.quarry.core.sandbox.Comparison;

/** Score a candidate's difficulty from its stored execution outcomes. */
public record ScoreRequest(
    String key, ArtifactRef execution, Comparison comparison, ValidityConfig validity) {}
