package dev.quarry.activities.training.openai;

/** Heartbeat details while Quarry waits for a fine-tuning job: enough to see where it stands. */
public record FineTuningProgress(String jobId, String status, String lastEvent) {}
