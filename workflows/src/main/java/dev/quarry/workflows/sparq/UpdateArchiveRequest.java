package dev.quarry.workflows.sparq;

import dev.quarry.core.config.RunConfig;

/**
 * Insert a finished round's problems into the archive of the round before. Reads round N−1's
 * archive and writes round N's under its own key, so a retry recomputes the same archive and never
 * inserts twice.
 *
 * @param failedPrompts prompts of the round whose workflow failed: their records may be missing
 */
public record UpdateArchiveRequest(
    String runId, int round, int prompts, RunConfig config, int failedPrompts) {
  public UpdateArchiveRequest(String runId, int round, int prompts, RunConfig config) {
    this(runId, round, prompts, config, 0);
  }
}
