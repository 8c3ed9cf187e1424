package dev.quarry.workflows.sparq;

import dev.quarry.core.config.RunConfig;

/** Write a SPARQ round's dataset (after the final filter), candidates and SFT export. */
public record SparqShardRequest(String runId, int round, int prompts, RunConfig config, String generatorVersion) {}
