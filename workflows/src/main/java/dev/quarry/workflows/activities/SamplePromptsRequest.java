package dev.quarry.workflows.activities;

import dev.quarry.core.config.ConceptsConfig;
import dev.quarry.core.config.SeedsConfig;

/** Sample {@code count} concept combinations from the seed set's concept graph. */
public record SamplePromptsRequest(
    SeedsConfig seeds, ConceptsConfig concepts, int count, long seed) {}
