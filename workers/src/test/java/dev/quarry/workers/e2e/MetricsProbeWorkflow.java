package dev.quarry.workers.e2e;

import dev.quarry.core.artifacts.ArtifactRef;
import dev.quarry.core.config.RoleConfig;
import dev.quarry.core.config.SandboxConfig;
import dev.quarry.core.sandbox.Comparison;
import dev.quarry.core.sandbox.Language;
import dev.quarry.workflows.ActivityStubs;
import dev.quarry.workflows.activities.ExecuteRequest;
import dev.quarry.workflows.activities.GenerationActivities;
import dev.quarry.workflows.activities.SandboxActivities;
import dev.quarry.workflows.activities.SolveRequest;
import dev.quarry.workflows.activities.SolveResult;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** Test-only: one solver call then one sandbox batch, to make a worker's meters move. */
@WorkflowInterface
public interface MetricsProbeWorkflow {
  record Input(ArtifactRef problem, ArtifactRef tests, RoleConfig solver, SandboxConfig sandbox) {}

  @WorkflowMethod(name = "MetricsProbe")
  int probe(Input input);

  class Impl implements MetricsProbeWorkflow {
    private final GenerationActivities llm =
        Workflow.newActivityStub(GenerationActivities.class, ActivityStubs.llm());
    private final SandboxActivities sandbox =
        Workflow.newActivityStub(
            SandboxActivities.class,
            ActivityStubs.sandbox(
                new SandboxConfig(Language.PYTHON, 2, 256, 1 << 20, Comparison.EXACT), 1, 1));

    @Override
    public int probe(Input input) {
      SolveResult rollouts =
          llm.solve(new SolveRequest("probe/solve", input.problem(), input.solver(), 2, 1));
      return sandbox
          .execute(
              new ExecuteRequest(
                  "probe/execute", rollouts.rollouts(), input.tests(), input.sandbox()))
          .verdictCounts()
          .values()
          .stream()
          .mapToInt(Integer::intValue)
          .sum();
    }
  }
}
