package dev.quarry.workflows.sparq;

import dev.quarry.workflows.activities.SolveResult;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** SPARQ's LLM calls, on the llm task queue. */
@ActivityInterface
public interface SparqLlmActivities {
  @ActivityMethod(name = "SparqGenerateProblem")
  GeneratedMath generateProblem(GenerateMathRequest request);

  @ActivityMethod(name = "SparqTagSkills")
  SkillTags tagSkills(TagSkillsRequest request);

  @ActivityMethod(name = "SparqSolveRollouts")
  SolveResult solve(SolveMathRequest request);
}
