package dev.quarry.workflows.activities;

import dev.quarry.core.config.ConceptsConfig;
import dev.quarry.core.config.SeedsConfig;

/**
 * Sample {@code count} concept combinations from the seed set's concept graph.
 *
 * @param extracted the extracted concepts to build the graph from; null to use the seed file's
 */
public record SamplePromptsRequest(
    SeedsConfig seeds, ConceptsConfig concepts, int count, long seed, ConceptMappingRef extracted) {
  public SamplePromptsRequest(SeedsConfig seeds, ConceptsConfig concepts, int count, long seed) {
    this(seeds, concepts, count, seed, null);
  }
}
