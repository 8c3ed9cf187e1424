package dev.quarry.workflows.activities;

import dev.quarry.core.config.RunConfig;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import java.util.List;

/**
 * Run-wide faults found before any work: a missing API-key variable, a refused key, a model the
 * endpoint does not serve, a missing or unreadable seed or benchmark file. Each method throws a
 * non-retryable {@code PreflightFailed} failure ({@code ActivityStubs.PREFLIGHT_FAILED}) whose
 * message names the role or field and what to fix; an endpoint that does not answer yet is retried
 * a bounded number of times.
 */
@ActivityInterface
public interface PreflightActivities {
  /**
   * Calls each endpoint the run's roles use once (lists its models where it can) with the key from
   * the variable the role names. Runs on the LLM task queue: where the keys and the network path to
   * the endpoints are.
   *
   * @return one line per role checked, for the run's history
   */
  @ActivityMethod(name = "PreflightEndpoints")
  List<String> checkEndpoints(RunConfig config);

  /**
   * Reads the seed file and every benchmark file as the run will. Runs on the workflows task queue:
   * the workers that read them during the run.
   */
  @ActivityMethod(name = "PreflightFiles")
  List<String> checkFiles(RunConfig config);
}
