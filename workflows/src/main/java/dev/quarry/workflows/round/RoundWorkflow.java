package dev.quarry.workflows.round;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * One generation round: sample prompts, evaluate each in a child workflow (a sliding window of
 * bounded concurrency), then write the round's dataset shard and RFT export.
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
}
