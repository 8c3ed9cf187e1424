package dev.quarry.workflows;

import dev.quarry.core.config.SandboxConfig;
import dev.quarry.core.sandbox.SandboxBatchTimeout;
import io.temporal.activity.ActivityCancellationType;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import java.time.Duration;

/**
 * Timeouts and retries per kind of work, in one place. Infrastructure failures of LLM calls and
 * bookkeeping retry without a limit (a run lasts days; an endpoint may be down for minutes); a
 * sandbox batch and the preflight have bounded attempts (docs/run-safety.md); failures that a retry
 * cannot fix are marked non-retryable by their type.
 */
public final class ActivityStubs {
  /** Failure types that no retry can fix: the run stops with the message. */
  public static final String INVALID_CONFIG = "InvalidRunConfig";

  public static final String LLM_REJECTED = "LlmRequestRejected";
  public static final String DATA_MISSING = "DataMissing";

  private ActivityStubs() {}

  private static RetryOptions retries(Duration maxInterval) {
    return RetryOptions.newBuilder()
        .setInitialInterval(Duration.ofSeconds(1))
        .setBackoffCoefficient(2.0)
        .setMaximumInterval(maxInterval)
        .setDoNotRetry(INVALID_CONFIG, LLM_REJECTED, DATA_MISSING)
        .build();
  }

  /**
   * How soon a dead worker's LLM or sandbox activity is retried elsewhere. Activities heartbeat
   * every 10 s while they wait (activities' Heartbeats); the SDK sends heartbeats at most every 0.8
   * × this timeout (24 s), so a beat may be 6 s late before the activity times out. A spurious
   * timeout costs one repeated call (writes are keyed, LLM answers cached), never data; a worker
   * crash costs at most this long (scripts/multi-worker.sh). It was 60 s.
   */
  public static final Duration HEARTBEAT_TIMEOUT = Duration.ofSeconds(30);

  /**
   * Per-prompt bookkeeping (scoring, keyed record writes, a batch's sampling) takes milliseconds;
   * it does not heartbeat, so this start-to-close timeout is how long a worker crash can hold it.
   * It was 5 min, shared with the round's shard writing.
   */
  public static final Duration QUICK_BOOKKEEPING_TIMEOUT = Duration.ofSeconds(30);

  /** LLM calls: long (a CPU model is slow), heartbeating while a request is in flight. */
  public static ActivityOptions llm() {
    return ActivityOptions.newBuilder()
        .setTaskQueue(TaskQueues.LLM)
        .setStartToCloseTimeout(Duration.ofMinutes(30))
        .setHeartbeatTimeout(HEARTBEAT_TIMEOUT)
        .setRetryOptions(retries(Duration.ofMinutes(1)))
        .build();
  }

  /**
   * Sandbox batches: one container per candidate; heartbeats while it runs. The start-to-close
   * timeout grows with the batch (M programs × T inputs × wall limit, plus compile and container
   * start: {@link SandboxBatchTimeout}); attempts are bounded, so a batch the sandbox cannot run
   * fails its candidate with the reason instead of retrying for ever. On cancellation the workflow
   * waits for the activity to confirm, so a cancelled run ends with its containers gone.
   */
  public static ActivityOptions sandbox(SandboxConfig sandbox, int programs, int inputs) {
    return ActivityOptions.newBuilder()
        .setTaskQueue(TaskQueues.SANDBOX)
        .setStartToCloseTimeout(SandboxBatchTimeout.startToClose(sandbox, programs, inputs))
        .setHeartbeatTimeout(HEARTBEAT_TIMEOUT)
        .setCancellationType(ActivityCancellationType.WAIT_CANCELLATION_COMPLETED)
        .setRetryOptions(
            RetryOptions.newBuilder(retries(Duration.ofSeconds(30)))
                .setMaximumAttempts(SandboxBatchTimeout.MAX_ATTEMPTS)
                .build())
        .build();
  }

  /** Bookkeeping on the workflow workers: sampling, scoring, keyed writes. Quick. */
  public static ActivityOptions bookkeeping() {
    return ActivityOptions.newBuilder()
        .setTaskQueue(TaskQueues.WORKFLOWS)
        .setStartToCloseTimeout(Duration.ofMinutes(5))
        .setRetryOptions(retries(Duration.ofSeconds(30)))
        .build();
  }

  /**
   * Bookkeeping done once per prompt or candidate (scoring, recording a prompt, sampling a batch's
   * prompts): milliseconds of work, so a short start-to-close bounds what a worker crash costs.
   * Writing a round's shard, which reads every prompt's record, keeps {@link #bookkeeping}.
   */
  public static ActivityOptions quickBookkeeping() {
    return ActivityOptions.newBuilder(bookkeeping())
        .setStartToCloseTimeout(QUICK_BOOKKEEPING_TIMEOUT)
        .build();
  }

  /**
   * The Python trainer worker: a short heartbeat timeout (it heartbeats every few seconds, also
   * within a long step), so a killed trainer is noticed and its retry starts within a minute.
   */
  public static ActivityOptions pythonTraining(String taskQueue, int heartbeatSeconds) {
    return ActivityOptions.newBuilder()
        .setTaskQueue(taskQueue)
        .setStartToCloseTimeout(Duration.ofHours(24))
        .setHeartbeatTimeout(Duration.ofSeconds(heartbeatSeconds))
        .setRetryOptions(retries(Duration.ofMinutes(1)))
        .build();
  }

  /**
   * Training: may take hours on real backends; heartbeats carry its progress. The OpenAI backend
   * heartbeats once per status poll (trainer.openai.pollSeconds), hence the long heartbeat timeout.
   */
  public static ActivityOptions training() {
    return ActivityOptions.newBuilder()
        .setTaskQueue(TaskQueues.TRAIN)
        .setStartToCloseTimeout(Duration.ofHours(24))
        .setHeartbeatTimeout(Duration.ofMinutes(5))
        .setRetryOptions(retries(Duration.ofMinutes(5)))
        .build();
  }

  /**
   * A trainer image (backend container): heartbeats on a timer every 10 s whether or not it prints,
   * so the short heartbeat timeout notices a dead worker, and a cancelled run reaches the container
   * (killed) within one heartbeat interval; the workflow waits for that confirmation.
   */
  public static ActivityOptions containerTraining() {
    return ActivityOptions.newBuilder(training())
        .setHeartbeatTimeout(HEARTBEAT_TIMEOUT)
        .setCancellationType(ActivityCancellationType.WAIT_CANCELLATION_COMPLETED)
        .build();
  }

  /**
   * The run's preflight: one short call per endpoint or file. An endpoint that does not answer yet
   * (a model server still loading) is retried for a few minutes, then the run fails naming it; a
   * refused key, an unknown model or a missing file fail at once (PreflightFailed).
   */
  public static ActivityOptions preflight(String taskQueue) {
    return ActivityOptions.newBuilder()
        .setTaskQueue(taskQueue)
        .setStartToCloseTimeout(Duration.ofMinutes(3))
        .setRetryOptions(
            RetryOptions.newBuilder(retries(Duration.ofMinutes(1)))
                .setMaximumAttempts(PREFLIGHT_ATTEMPTS)
                .setDoNotRetry(INVALID_CONFIG, LLM_REJECTED, DATA_MISSING, PREFLIGHT_FAILED)
                .build())
        .build();
  }

  /** About 4 minutes of backoff (1, 2, 4 ... 60 s) for an endpoint that is still starting. */
  public static final int PREFLIGHT_ATTEMPTS = 10;

  public static final String PREFLIGHT_FAILED = "PreflightFailed";
}
