package dev.quarry.workflows.prompt;

import dev.quarry.core.sandbox.SandboxBatchTimeout;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.failure.TimeoutFailure;

/**
 * A candidate's sandbox batch that failed for good (its bounded attempts spent, or a failure no
 * retry fixes) becomes the candidate's invalid reason. A cancellation is not a reason: it is
 * rethrown so the cancelled run stops.
 */
final class SandboxFailures {
  private SandboxFailures() {}

  static String reason(ActivityFailure failure) {
    Throwable cause = failure.getCause();
    if (cause instanceof CanceledFailure) {
      throw failure;
    }
    String what;
    if (cause instanceof ApplicationFailure app) {
      what = app.getType() + ": " + app.getOriginalMessage();
    } else if (cause instanceof TimeoutFailure timeout) {
      what = "timed out (" + timeout.getTimeoutType() + ")";
    } else if (cause instanceof TemporalFailure temporal) {
      what = temporal.getOriginalMessage();
    } else {
      what = String.valueOf(cause);
    }
    String text =
        "sandbox failed (up to " + SandboxBatchTimeout.MAX_ATTEMPTS + " attempts): " + what;
    return text.length() <= 300 ? text : text.substring(0, 300) + "…";
  }
}
