package dev.quarry.workflows.activities;

/** Retrain the generator on a finished round's RFT export. */
public record RetrainRequest(
    String runId, int round, String rftFile, int rows, GeneratorVersion current) {}
