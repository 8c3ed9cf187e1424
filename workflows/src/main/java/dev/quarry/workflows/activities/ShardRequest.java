package dev.quarry.workflows.activities;

import dev.quarry.core.config.RunConfig;

/** Write the dataset shard of a finished round from its stored prompt records. */
public record ShardRequest(
    String runId, int round, int prompts, RunConfig config, String generatorVersion) {}
