package dev.quarry.workflows.activities;

import dev.quarry.core.artifacts.ArtifactRef;

/**
 * Extracted concepts to build the graph from, and where the run's inspectable mapping file goes
 * ({@code outputDir/RUN/concepts-mapping.json}).
 */
public record ConceptMappingRef(ArtifactRef extraction, String runId, String outputDir) {}
