package dev.quarry.workflows.round;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * One generation round of the run's method ({@link MethodRound}: QueST, ScaleQuest or SPARQ): take
 * the round's prompts, evaluate each in a child workflow (a sliding window of bounded concurrency,
 * {@link ChildWindow}), then write the round's dataset shard and export. A round of more than
 * {@link RoundWorkflowImpl#DEFAULT_BATCH_SIZE} prompts, of any method, starts {@link
 * PromptBatchWorkflow} children instead, one after the other, each evaluating a range of the
 * prompts.
 */
@WorkflowInterface
public interface RoundWorkflow {
  @WorkflowMethod(name = "GenerationRound")
  RoundResult run(RoundInput input);

  @QueryMethod
  RoundProgress progress();

  /** Stop starting new prompts; prompts already running finish. */
  @SignalMethod
  void pause();

  @SignalMethod
  void resume();

  /**
   * Progress of a big round's prompt batch: counts of its prompts finished since its last report.
   */
  @SignalMethod
  void promptsDone(PromptTally finished);
}
