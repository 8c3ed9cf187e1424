package dev.quarry.workflows.scalequest;

import dev.quarry.core.config.RunConfig;

/** One question of one round: generated, filtered, answered, rewritten. */
public record QuestionInput(
    String runId, int round, int promptIndex, RunConfig config, String generatorVersion) {}
