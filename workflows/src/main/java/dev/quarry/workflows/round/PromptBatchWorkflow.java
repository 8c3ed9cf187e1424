package dev.quarry.workflows.round;

import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * A slice of a big round: samples its range of prompts and evaluates each in a child
 * {@code EvaluatePrompt} workflow (same ids and seeds as an unbatched round), in a sliding window
 * of the run's {@code maxConcurrentPrompts}. Rounds over {@link RoundWorkflowImpl#DEFAULT_BATCH_SIZE}
 * prompts use batches so that no history grows with the round's size beyond a batch.
 */
@WorkflowInterface
public interface PromptBatchWorkflow {
  @WorkflowMethod(name = "EvaluatePromptBatch")
  PromptBatchResult evaluate(PromptBatchInput input);

  /** Stop starting new prompts; prompts already running finish. Forwarded by the round. */
  @SignalMethod
  void pause();

  @SignalMethod
  void resume();
}
