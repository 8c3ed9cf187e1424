package dev.quarry.workflows.round;

import dev.quarry.workflows.Visibility;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.List;

/**
 * A slice of a big round of any method: the method takes its range of prompts and starts their
 * children in the window; this workflow reports their counts to the round every {@code
 * progressEvery} finished prompts, and the rest with its result.
 */
public class PromptBatchWorkflowImpl implements PromptBatchWorkflow {
  private boolean paused;

  /** Counts not yet sent to the round. */
  private PromptTally pending = PromptTally.ZERO;

  @Override
  public PromptBatchResult evaluate(PromptBatchInput input) {
    paused = paused || input.paused();
    RoundWorkflow round =
        Workflow.newExternalWorkflowStub(RoundWorkflow.class, input.roundWorkflowId());
    int every = Math.max(1, input.progressEvery());
    List<Promise<Void>> signals = new ArrayList<>();
    ChildWindow window =
        new ChildWindow(
            input.config().maxConcurrentPrompts(),
            () -> paused,
            new ChildWindow.Listener() {
              @Override
              public void started() {
                pending = pending.plusStarted(1);
              }

              @Override
              public void finished(PromptTally one) {
                pending = pending.plus(one);
                if (pending.prompts() >= every) {
                  // Async: the signal is sent from this callback without blocking it; its promise
                  // completes once the round has it in its history.
                  PromptTally report = pending;
                  pending = PromptTally.ZERO;
                  signals.add(Async.procedure(round::promptsDone, report));
                }
              }
            });
    int prompts =
        MethodRound.of(input.config().method())
            .startBatch(input, new Visibility(input.searchAttributes()), window);
    window.awaitAll();
    // Every report is in the round's history before this batch completes, so the round has
    // counted all of them when it sees the result.
    Promise.allOf(signals).get();
    return new PromptBatchResult(input.batch(), input.firstPrompt(), prompts, pending);
  }

  @Override
  public void pause() {
    paused = true;
  }

  @Override
  public void resume() {
    paused = false;
  }
}
