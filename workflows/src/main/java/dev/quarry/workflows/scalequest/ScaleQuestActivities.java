package dev.quarry.workflows.scalequest;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** ScaleQuest's LLM stages. Runs on the llm task queue, whose workers hold the endpoints. */
@ActivityInterface
public interface ScaleQuestActivities {
  @ActivityMethod(name = "ScaleQuestGenerateQuestion")
  GeneratedQuestion generateQuestion(QuestionRequest request);

  @ActivityMethod(name = "ScaleQuestJudgeSolvability")
  JudgeOutcome judgeSolvability(JudgeRequest request);

  @ActivityMethod(name = "ScaleQuestMeasureDifficulty")
  DifficultyOutcome measureDifficulty(DifficultyRequest request);

  /** N responses, each scored by the reward model; the best is kept. */
  @ActivityMethod(name = "ScaleQuestBestOfNResponses")
  ResponsesOutcome bestOfNResponses(ResponsesRequest request);

  @ActivityMethod(name = "ScaleQuestRewriteQuestion")
  RewriteOutcome rewriteQuestion(RewriteRequest request);
}
