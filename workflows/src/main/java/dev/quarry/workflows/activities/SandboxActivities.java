package dev.quarry.workflows.activities;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * Executes untrusted code. Infrastructure failures are thrown (and retried by Temporal); the
 * solutions' own failures are verdicts inside the summary.
 */
@ActivityInterface
public interface SandboxActivities {
  @ActivityMethod(name = "ExecuteCandidate")
  ExecutionSummary execute(ExecuteRequest request);
}
