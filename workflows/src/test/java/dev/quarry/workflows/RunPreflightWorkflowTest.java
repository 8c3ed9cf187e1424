package dev.quarry.workflows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quarry.workflows.run.GenerationRunWorkflow;
import dev.quarry.workflows.run.RunInput;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The run's preflight: first thing, once per run, and a fault stops the run before any work. */
class RunPreflightWorkflowTest {
  private TestWorkflowEnvironment env;
  private FakeActivities fakes;

  @BeforeEach
  void setUp() {
    env = TestWorkflowEnvironment.newInstance();
    fakes = new FakeActivities();
    fakes.registerOn(env);
    env.start();
  }

  @AfterEach
  void tearDown() {
    env.close();
  }

  private GenerationRunWorkflow newRun(String id) {
    return env.getWorkflowClient()
        .newWorkflowStub(
            GenerationRunWorkflow.class,
            WorkflowOptions.newBuilder().setWorkflowId(id).setTaskQueue(TaskQueues.WORKFLOWS).build());
  }

  @Test
  void aRunWideFaultFailsTheRunBeforeAnyWorkWithTheMessage() {
    fakes.preflight.endpointProblem =
        "role generator: environment variable GEN_KEY (roles.generator.apiKeyEnv) is not set on the LLM worker";

    WorkflowFailedException failed =
        assertThrows(
            WorkflowFailedException.class,
            () -> newRun("run-preflight-fails").run(RunInput.start(GenerationRunWorkflowTest.config(2, 3, 3))));

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
    var summary = newRun("run-preflight-passes").run(RunInput.start(GenerationRunWorkflowTest.config(2, 1, 3)));

    assertEquals(2, summary.roundsCompleted());
    assertEquals(List.of("files", "endpoints"), fakes.preflight.calls);
  }
}
