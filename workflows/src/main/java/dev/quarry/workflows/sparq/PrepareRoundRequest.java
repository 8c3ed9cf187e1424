package dev.quarry.workflows.sparq;

import dev.quarry.core.config.RunConfig;

/** Load (or, on the first round, build) the archive and draw this round's parents. */
public record PrepareRoundRequest(String runId, int round, RunConfig config, long seed) {}
