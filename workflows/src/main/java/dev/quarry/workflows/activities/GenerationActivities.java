package dev.quarry.workflows.activities;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** Every LLM call of a round. Runs on the llm task queue, whose workers hold the endpoints. */
@ActivityInterface
public interface GenerationActivities {
  @ActivityMethod(name = "GenerateProblems")
  GeneratedProblems generateProblems(GenerateProblemsRequest request);

  @ActivityMethod(name = "WriteTestInputs")
  TestInputsResult writeTestInputs(TestInputsRequest request);

  @ActivityMethod(name = "SolveRollouts")
  SolveResult solve(SolveRequest request);
}
