package dev.quarry.workflows.sparq;

import dev.quarry.core.config.RunConfig;

/**
 * Insert a finished round's problems into the archive of the round before. Reads round N−1's
 * archive and writes round N's under its own key, so a retry recomputes the same archive and
 * never inserts twice.
 */
public record UpdateArchiveRequest(String runId, int round, int prompts, RunConfig config) {}
