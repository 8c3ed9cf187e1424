package dev.quarry.activities.training.openai;

/**
 * What Quarry wrote down about a round's fine-tuning job before it started waiting: with it, a
 * retried activity resumes polling this job instead of starting a second one.
 */
public record FineTuningRecord(String jobId, String fileId, String baseModel) {}
