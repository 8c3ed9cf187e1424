package dev.quarry.workflows.run;

import dev.quarry.core.config.RunConfig;
import dev.quarry.workflows.ActivityStubs;
import dev.quarry.workflows.TaskQueues;
import dev.quarry.workflows.activities.PreflightActivities;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.Workflow;

/**
 * The run's first step: faults of the whole run (a key, a model, a file) stop it before any work,
 * with the activity's message as the run's failure. Behind {@link Workflow#getVersion}: runs
 * started before it existed replay without it.
 */
final class Preflight {
  static final String CHANGE_ID = "quarry-preflight";

  private Preflight() {}

  static void check(RunConfig config) {
    if (Workflow.getVersion(CHANGE_ID, Workflow.DEFAULT_VERSION, 1) == Workflow.DEFAULT_VERSION) {
      return;
    }
    PreflightActivities files =
        Workflow.newActivityStub(
            PreflightActivities.class, ActivityStubs.preflight(TaskQueues.WORKFLOWS));
    PreflightActivities endpoints =
        Workflow.newActivityStub(
            PreflightActivities.class, ActivityStubs.preflight(TaskQueues.LLM));
    try {
      files.checkFiles(config);
      endpoints.checkEndpoints(config);
    } catch (ActivityFailure failure) {
      Throwable cause = failure.getCause();
      String message =
          cause instanceof TemporalFailure temporal
              ? temporal.getOriginalMessage()
              : String.valueOf(cause);
      throw ApplicationFailure.newNonRetryableFailure(
          "preflight: " + message + " (no work was started)", ActivityStubs.PREFLIGHT_FAILED);
    }
  }
}
