package dev.quarry.activities.training.openai;

/**
 * A fine-tuning job as the provider reports it.
 *
 * @param status validating_files, queued, running, succeeded, failed or cancelled
 * @param fineTunedModel the new model's name; set once the job succeeded
 * @param error the provider's error message for a failed job; null otherwise
 */
public record FineTuningJob(String id, String status, String fineTunedModel, String error) {
  public boolean finished() {
    return status.equals("succeeded") || status.equals("failed") || status.equals("cancelled");
  }
}
