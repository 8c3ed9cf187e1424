package dev.quarry.workflows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quarry.core.sandbox.SandboxBatchTimeout;
import dev.quarry.workflows.run.RunInput;
import io.temporal.client.WorkflowFailedException;
import io.temporal.failure.ApplicationFailure;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Run safety in the workflows: the preflight (first, once per run, a fault stops the run before any
 * work) and bounded sandbox attempts.
 */
class RunSafetyWorkflowTest extends FakeTemporalTest {
  @Test
  void aRunWideFaultFailsTheRunBeforeAnyWorkWithTheMessage() {
    fakes.preflight.endpointProblem =
        "role generator: environment variable GEN_KEY (roles.generator.apiKeyEnv) is not set on the LLM worker";

    WorkflowFailedException failed =
        assertThrows(
            WorkflowFailedException.class,
            () ->
                newRun("run-preflight-fails")
                    .run(RunInput.start(GenerationRunWorkflowTest.config(2, 3, 3))));

    ApplicationFailure cause = assertInstanceOf(ApplicationFailure.class, failed.getCause());
    assertEquals(ActivityStubs.PREFLIGHT_FAILED, cause.getType());
    assertTrue(cause.getOriginalMessage().contains("role generator"), cause.getOriginalMessage());
    assertTrue(cause.getOriginalMessage().contains("GEN_KEY"), cause.getOriginalMessage());
    assertTrue(fakes.samplings.isEmpty(), "no prompt was sampled: " + fakes.samplings);
    assertTrue(fakes.records.isEmpty(), "no prompt was recorded");
    assertEquals(List.of("files", "endpoints"), fakes.preflight.calls);
  }

  @Test
  void aPassingPreflightRunsOncePerRunNotPerContinueAsNew() {
    var summary =
        newRun("run-preflight-passes")
            .run(RunInput.start(GenerationRunWorkflowTest.config(2, 1, 3)));

    assertEquals(2, summary.roundsCompleted());
    assertEquals(List.of("files", "endpoints"), fakes.preflight.calls);
  }

  /**
   * A sandbox that keeps failing is retried a bounded number of times, then each candidate is
   * invalid with the reason and the run completes (it retried for ever before).
   */
  @Test
  void aSandboxThatKeepsFailingFailsItsCandidatesNotTheRun() {
    fakes.sandboxDown = true;

    var summary =
        newRun("run-sandbox-down").run(RunInput.start(GenerationRunWorkflowTest.config(1, 1, 2)));

    assertEquals(1, summary.roundsCompleted());
    assertEquals(2, summary.invalidCandidates(), "both candidates failed: " + summary.rounds());
    var reasons = summary.rounds().get(0).invalidReasons();
    assertTrue(
        reasons.keySet().stream()
            .allMatch(
                r ->
                    r.startsWith(
                            "sandbox failed (up to "
                                + SandboxBatchTimeout.MAX_ATTEMPTS
                                + " attempts)")
                        && r.contains("cannot reach the Docker engine")),
        reasons.toString());
    assertEquals(2, fakes.sandboxAttempts.size());
    fakes.sandboxAttempts.values().forEach(n -> assertEquals(SandboxBatchTimeout.MAX_ATTEMPTS, n));
  }
}
