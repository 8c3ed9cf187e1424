package dev.quarry.activities.support;

import dev.quarry.workflows.ActivityStubs;
import io.temporal.failure.ApplicationFailure;

/** Activity failures of the right kind: retryable infrastructure trouble, or final errors. */
public final class Failures {
  private Failures() {}

  public static ApplicationFailure invalidConfig(String message) {
    return ApplicationFailure.newNonRetryableFailure(message, ActivityStubs.INVALID_CONFIG);
  }

  public static ApplicationFailure dataMissing(String message) {
    return ApplicationFailure.newNonRetryableFailure(message, ActivityStubs.DATA_MISSING);
  }

  public static ApplicationFailure llmRejected(String message) {
    return ApplicationFailure.newNonRetryableFailure(message, ActivityStubs.LLM_REJECTED);
  }

  /** Temporal retries these with backoff; they are never a verdict on a solution. */
  public static ApplicationFailure infrastructure(String type, String message, Throwable cause) {
    return ApplicationFailure.newFailureWithCause(message, type, cause);
  }
}
