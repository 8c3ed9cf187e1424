package dev.quarry.workflows.activities;

import dev.quarry.core.artifacts.ArtifactRef;
import dev.quarry.workflows.TokenUsage;

/**
 * What concept extraction produced: the stored {@code ConceptExtractionArtifact} and a summary.
 *
 * @param extracted seeds whose concepts came from the model
 * @param fellBack seeds whose answer was unusable and whose given concepts stand in
 * @param withoutConcepts seeds with neither, left out of the graph
 * @param rawNames distinct names the model wrote
 * @param canonicalConcepts distinct concepts the graph is built from (merged names, plus given
 *     concepts standing in for failed seeds)
 */
public record ExtractConceptsResult(
    ArtifactRef extraction,
    int seeds,
    int extracted,
    int fellBack,
    int withoutConcepts,
    int rawNames,
    int canonicalConcepts,
    TokenUsage usage) {}
