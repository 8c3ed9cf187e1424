package dev.quarry.workers.e2e;

import dev.quarry.core.artifacts.ArtifactRef;
import dev.quarry.core.config.SandboxConfig;
import dev.quarry.core.sandbox.Comparison;
import dev.quarry.core.sandbox.Language;
import dev.quarry.workflows.ActivityStubs;
import dev.quarry.workflows.activities.ExecuteRequest;
import dev.quarry.workflows.activities.SandboxActivities;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** Test-only: one sandbox batch on the sandbox queue, to load that stage. */
@WorkflowInterface
public interface StageProbeWorkflow {
  record Input(String key, ArtifactRef rollouts, ArtifactRef tests) {}

  @WorkflowMethod(name = "StageProbe")
  int probe(Input input);

  class Impl implements StageProbeWorkflow {
    private static final SandboxConfig SANDBOX =
        new SandboxConfig(Language.PYTHON, 2, 128, 65536, Comparison.WHITESPACE);
    private final SandboxActivities sandbox =
        Workflow.newActivityStub(SandboxActivities.class, ActivityStubs.sandbox(SANDBOX, 1, 1));

    @Override
    public int probe(Input input) {
      return sandbox
          .execute(new ExecuteRequest(input.key(), input.rollouts(), input.tests(), SANDBOX))
          .verdictCounts()
          .values()
          .stream()
          .mapToInt(Integer::intValue)
          .sum();
    }
  }
}
