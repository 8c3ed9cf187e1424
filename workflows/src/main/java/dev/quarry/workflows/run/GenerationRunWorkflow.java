package dev.quarry.workflows.run;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * A generation run (workflow id = run id): rounds in sequence, the generator retrained between
 * them, continue-as-new after each round so history stays small and new worker code takes effect at
 * round boundaries.
 */
@WorkflowInterface
public interface GenerationRunWorkflow {
  /** The type name people use with {@code temporal workflow start --type GenerationRun}. */
  String TYPE = "GenerationRun";

  @WorkflowMethod(name = TYPE)
  RunSummary run(RunInput input);

  @QueryMethod
  RunProgress progress();

  /** Pauses the run: the current round starts no new prompts, and no new round starts. */
  @SignalMethod
  void pause();

  @SignalMethod
  void resume();

  /** Finishes the current round (and its retrain step), then completes the run. */
  @SignalMethod
  void stopAfterRound();
}
