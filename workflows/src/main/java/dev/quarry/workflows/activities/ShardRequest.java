package dev.quarry.workflows.activities;

import dev.quarry.core.config.RunConfig;

/**
 * Write the dataset shard of a finished round from its stored prompt records.
 *
 * @param failedPrompts prompts of the round whose workflow failed (the round's tally): their
 *     records may be missing; 0 in histories from before
 */
public record ShardRequest(
    String runId,
    int round,
    int prompts,
    RunConfig config,
    String generatorVersion,
    int failedPrompts) {
  public ShardRequest(
      String runId, int round, int prompts, RunConfig config, String generatorVersion) {
    this(runId, round, prompts, config, generatorVersion, 0);
  }
}
