package dev.quarry.workflows.prompt;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Evaluates one prompt: K candidate problems, each with T test inputs and M rollouts executed in
 * one sandbox batch, scored by δ; the hardest valid candidate is selected.
 */
@WorkflowInterface
public interface PromptWorkflow {
  @WorkflowMethod(name = "EvaluatePrompt")
  PromptOutcome evaluate(PromptInput input);
}
