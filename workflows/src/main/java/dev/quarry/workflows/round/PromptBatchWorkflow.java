package dev.quarry.workflows.round;

import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * A slice of a big round of any method: takes its range of the round's prompts (QueST samples them,
 * ScaleQuest numbers them, SPARQ draws their parents, each with the round's seed) and evaluates
 * each in the method's child workflow (same ids and seeds as an unbatched round), in a sliding
 * window of the run's {@code maxConcurrentPrompts}. Rounds over {@link
 * RoundWorkflowImpl#DEFAULT_BATCH_SIZE} prompts use batches so that no history grows with the
 * round's size beyond a batch.
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
