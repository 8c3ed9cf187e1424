package dev.quarry.workflows;

import dev.quarry.workflows.run.GenerationRunWorkflow;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Workflow tests on Temporal's in-memory test server with every activity faked: a fresh server and
 * fresh fakes for each test.
 */
abstract class FakeTemporalTest {
  protected TestWorkflowEnvironment env;
  protected FakeActivities fakes;

  @BeforeEach
  void startFakeTemporal() {
    env = TestWorkflowEnvironment.newInstance();
    fakes = new FakeActivities();
    fakes.registerOn(env);
    env.start();
  }

  @AfterEach
  void stopFakeTemporal() {
    env.close();
  }

  /** A stub for a new run with this workflow id on the workflows queue. */
  protected GenerationRunWorkflow newRun(String id) {
    return env.getWorkflowClient()
        .newWorkflowStub(
            GenerationRunWorkflow.class,
            WorkflowOptions.newBuilder()
                .setWorkflowId(id)
                .setTaskQueue(TaskQueues.WORKFLOWS)
                .build());
  }
}
