package dev.quarry.workflows.round;

import dev.quarry.core.config.RunConfig;
import dev.quarry.workflows.Ids;
import dev.quarry.workflows.TaskQueues;
import dev.quarry.workflows.Visibility;
import io.temporal.workflow.ChildWorkflowOptions;

/**
 * The options of one prompt's child workflow, whatever the method: its id (RUN/round-N/prompt-I),
 * the workflows queue, Quarry's search attributes and a summary. A round and its batches start a
 * prompt with the same options, so a batched round gives the same results as an unbatched one.
 */
public final class PromptChildOptions {
  private PromptChildOptions() {}

  public static ChildWorkflowOptions of(
      Visibility visibility,
      String runId,
      int round,
      RunConfig config,
      String generatorVersion,
      int promptIndex,
      String summary) {
    return visibility
        .child(
            ChildWorkflowOptions.newBuilder()
                .setWorkflowId(Ids.prompt(runId, round, promptIndex))
                .setTaskQueue(TaskQueues.WORKFLOWS),
            runId,
            round,
            config,
            generatorVersion,
            summary)
        .build();
  }
}
