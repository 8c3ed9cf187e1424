package dev.quarry.workflows.activities;

import dev.quarry.core.config.ConceptsConfig;
import dev.quarry.core.config.SeedsConfig;

/**
 * Sample {@code count} concept combinations from the seed set's concept graph.
 *
 * @param extracted the extracted concepts to build the graph from; null to use the seed file's
 * @param first the index of the first prompt (a batch of a big round samples its own range; each
 *     prompt depends only on the seed and its index); null (older histories) means 0
 */
public record SamplePromptsRequest(
    SeedsConfig seeds,
    ConceptsConfig concepts,
    int count,
    long seed,
    ConceptMappingRef extracted,
    Integer first) {
  public SamplePromptsRequest(SeedsConfig seeds, ConceptsConfig concepts, int count, long seed) {
    this(seeds, concepts, count, seed, null, null);
  }

  public SamplePromptsRequest(
      SeedsConfig seeds,
      ConceptsConfig concepts,
      int count,
      long seed,
      ConceptMappingRef extracted) {
    this(seeds, concepts, count, seed, extracted, null);
  }

  public int firstIndex() {
    return first == null ? 0 : first;
  }
}
