package dev.quarry.workflows.sparq;

import dev.quarry.core.config.RunConfig;

/**
 * Write a SPARQ round's dataset (after the final filter), candidates and SFT export.
 *
 * @param failedPrompts prompts of the round whose workflow failed: their records may be missing
 */
public record SparqShardRequest(
    String runId,
    int round,
    int prompts,
    RunConfig config,
    String generatorVersion,
    int failedPrompts) {
  public SparqShardRequest(
      String runId, int round, int prompts, RunConfig config, String generatorVersion) {
    this(runId, round, prompts, config, generatorVersion, 0);
  }
}
