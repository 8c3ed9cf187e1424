package dev.quarry.workflows.round;

import dev.quarry.core.config.RunConfig;

/** One round of a run. */
public record RoundInput(String runId, int round, RunConfig config, String generatorVersion) {}
