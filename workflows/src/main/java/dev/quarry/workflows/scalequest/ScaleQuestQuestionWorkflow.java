package dev.quarry.workflows.scalequest;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * One ScaleQuest question: generate from the raw prefix, filter (language → solvability judge →
 * fail rate), best-of-N responses by reward, answer-present check; meanwhile a QPO rewrite.
 */
@WorkflowInterface
public interface ScaleQuestQuestionWorkflow {
  @WorkflowMethod(name = "ScaleQuestQuestion")
  QuestionOutcome evaluate(QuestionInput input);
}
