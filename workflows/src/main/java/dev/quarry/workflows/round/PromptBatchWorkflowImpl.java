package dev.quarry.workflows.round;

import dev.quarry.core.config.RunConfig;
import dev.quarry.workflows.ActivityStubs;
import dev.quarry.workflows.Visibility;
import dev.quarry.workflows.activities.ConceptActivities;
import dev.quarry.workflows.activities.PromptSpec;
import dev.quarry.workflows.activities.SamplePromptsRequest;
import dev.quarry.workflows.prompt.PromptOutcome;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.List;

public class PromptBatchWorkflowImpl implements PromptBatchWorkflow {
  private final ConceptActivities concepts =
      Workflow.newActivityStub(ConceptActivities.class, ActivityStubs.quickBookkeeping());

  private boolean paused;
  private int running;
  /** Counts not yet sent to the round. */
  private PromptTally pending = PromptTally.ZERO;

  @Override
  public PromptBatchResult evaluate(PromptBatchInput input) {
    RunConfig config = input.config();
    paused = paused || input.paused();
    Visibility visibility = new Visibility(input.searchAttributes());
    List<PromptSpec> prompts =
        concepts.samplePrompts(
            new SamplePromptsRequest(
                config.seeds(),
                config.concepts(),
                input.prompts(),
                input.samplingSeed(),
                input.extracted(),
                input.firstPrompt()));
    RoundWorkflow round = Workflow.newExternalWorkflowStub(RoundWorkflow.class, input.roundWorkflowId());
    int every = Math.max(1, input.progressEvery());
    List<Promise<Void>> signals = new ArrayList<>();
    List<Promise<PromptOutcome>> children = new ArrayList<>();
    for (PromptSpec prompt : prompts) {
      // The same sliding window as an unbatched round: never more than maxConcurrentPrompts.
      Workflow.await(() -> !paused && running < config.maxConcurrentPrompts());
      running++;
      pending = pending.plusStarted(1);
      children.add(
          PromptChild.start(visibility, input.runId(), input.round(), config, input.generatorVersion(), prompt)
              .thenApply(outcome -> {
                running--;
                pending = pending.plus(outcome);
                if (pending.prompts() >= every) {
                  // Async: the signal is sent from this callback without blocking it; its promise
                  // completes once the round has it in its history.
                  PromptTally report = pending;
                  pending = PromptTally.ZERO;
                  signals.add(Async.procedure(round::promptsDone, report));
                }
                return outcome;
              }));
    }
    Promise.allOf(children).get();
    // Every report is in the round's history before this batch completes, so the round has
    // counted all of them when it sees the result.
    Promise.allOf(signals).get();
    return new PromptBatchResult(input.batch(), input.firstPrompt(), prompts.size(), pending);
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
