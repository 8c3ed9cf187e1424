package dev.quarry.workflows.round;

import dev.quarry.core.config.RunConfig;
import dev.quarry.workflows.Ids;
import dev.quarry.workflows.TaskQueues;
import dev.quarry.workflows.Visibility;
import dev.quarry.workflows.activities.PromptSpec;
import dev.quarry.workflows.prompt.PromptInput;
import dev.quarry.workflows.prompt.PromptOutcome;
import dev.quarry.workflows.prompt.PromptWorkflow;
import io.temporal.workflow.Async;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;

/**
 * Starts one prompt's child workflow. A round starts its prompts itself, or through batches when
 * it is big; both must start a prompt the same way (id, options, search attributes, input), or a
 * batched round would not give the same results as an unbatched one.
 */
final class PromptChild {
  private PromptChild() {}

  static Promise<PromptOutcome> start(
      Visibility visibility, String runId, int round, RunConfig config, String generatorVersion, PromptSpec prompt) {
    PromptWorkflow child =
        Workflow.newChildWorkflowStub(
            PromptWorkflow.class,
            visibility
                .child(
                    ChildWorkflowOptions.newBuilder()
                        .setWorkflowId(Ids.prompt(runId, round, prompt.promptIndex()))
                        .setTaskQueue(TaskQueues.WORKFLOWS),
                    runId, round, config, generatorVersion,
                    "prompt " + prompt.promptIndex() + ": " + String.join(", ", prompt.concepts()))
                .build());
    return Async.function(child::evaluate, new PromptInput(runId, round, prompt, config, generatorVersion));
  }
}
