package dev.quarry.activities.training.openai;

/**
 * One event of a fine-tuning job.
 *
 * @param trainLoss the training loss a metrics event carries; null for other events
 */
public record FineTuningEvent(String id, String message, Double trainLoss) {}
