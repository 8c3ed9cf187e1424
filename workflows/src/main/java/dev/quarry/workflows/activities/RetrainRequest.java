package dev.quarry.workflows.activities;

import dev.quarry.core.config.TrainerConfig;

/**
 * Retrain the generator on a finished round's RFT export.
 *
 * @param trainer the run's trainer block; null (runs started before it existed) means record-only
 */
public record RetrainRequest(
    String runId,
    int round,
    String rftFile,
    int rows,
    GeneratorVersion current,
    TrainerConfig trainer) {}
