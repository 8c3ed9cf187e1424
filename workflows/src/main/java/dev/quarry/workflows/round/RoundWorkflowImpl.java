package dev.quarry.workflows.round;

import dev.quarry.core.config.Method;
import dev.quarry.core.config.RunConfig;
import dev.quarry.workflows.ActivityStubs;
import dev.quarry.workflows.Ids;
import dev.quarry.workflows.SeedMixer;
import dev.quarry.workflows.TaskQueues;
import dev.quarry.workflows.Usage;
import dev.quarry.workflows.activities.ConceptActivities;
import dev.quarry.workflows.activities.DatasetActivities;
import dev.quarry.workflows.activities.PromptSpec;
import dev.quarry.workflows.activities.SamplePromptsRequest;
import dev.quarry.workflows.activities.ShardRequest;
import dev.quarry.workflows.activities.ShardResult;
import dev.quarry.workflows.prompt.PromptInput;
import dev.quarry.workflows.prompt.PromptOutcome;
import dev.quarry.workflows.prompt.PromptWorkflow;
import dev.quarry.workflows.sparq.SparqRound;
import io.temporal.workflow.Async;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

public class RoundWorkflowImpl implements RoundWorkflow {
  private final ConceptActivities concepts =
      Workflow.newActivityStub(ConceptActivities.class, ActivityStubs.bookkeeping());
  private final DatasetActivities dataset =
      Workflow.newActivityStub(DatasetActivities.class, ActivityStubs.bookkeeping());

  private int round;
  private String stage = "starting";
  private boolean paused;
  private int promptsTotal;
  private int promptsStarted;
  private int running;
  private int promptsDone;
  private int candidatesDone;
  private int validCandidates;
  private int rolloutsDone;
  private int executionsDone;
  private double selectedDeltaSum;
  private int selectedCount;
  private final Map<String, Integer> invalidReasons = new TreeMap<>();
  private Usage usage = Usage.ZERO;
  /** Set when the round follows SPARQ; it then keeps the round's progress. */
  private SparqRound sparq;

  @Override
  public RoundResult run(RoundInput input) {
    RunConfig config = input.config();
    if (config.method() == Method.SPARQ) {
      sparq = new SparqRound();
      return sparq.run(input, () -> paused);
    }
    round = input.round();
    stage = "sampling";
    List<PromptSpec> prompts =
        concepts.samplePrompts(
            new SamplePromptsRequest(
                config.seeds(),
                config.concepts(),
                config.promptsPerRound(),
                SeedMixer.derive(config.seed(), round)));
    promptsTotal = prompts.size();

    stage = "evaluating";
    List<Promise<PromptOutcome>> pending = new ArrayList<>();
    for (PromptSpec prompt : prompts) {
      // Sliding window: never more than maxConcurrentPrompts children in flight.
      Workflow.await(() -> !paused && running < config.maxConcurrentPrompts());
      PromptWorkflow child =
          Workflow.newChildWorkflowStub(
              PromptWorkflow.class,
              ChildWorkflowOptions.newBuilder()
                  .setWorkflowId(Ids.prompt(input.runId(), round, prompt.promptIndex()))
                  .setTaskQueue(TaskQueues.WORKFLOWS)
                  .build());
      running++;
      promptsStarted++;
      pending.add(
          Async.function(
                  child::evaluate,
                  new PromptInput(input.runId(), round, prompt, config, input.generatorVersion()))
              .thenApply(this::absorb));
    }
    Promise.allOf(pending).get();

    stage = "writing";
    ShardResult shard =
        dataset.writeShard(
            new ShardRequest(input.runId(), round, promptsTotal, config, input.generatorVersion()));
    stage = "done";
    return new RoundResult(
        round,
        input.generatorVersion(),
        promptsTotal,
        candidatesDone,
        validCandidates,
        candidatesDone - validCandidates,
        Map.copyOf(invalidReasons),
        selectedCount == 0 ? 0 : selectedDeltaSum / selectedCount,
        usage,
        shard);
  }

  private PromptOutcome absorb(PromptOutcome outcome) {
    running--;
    promptsDone++;
    candidatesDone += outcome.candidates();
    validCandidates += outcome.validCandidates();
    rolloutsDone += outcome.rollouts();
    executionsDone += outcome.executions();
    outcome.invalidReasons().forEach((reason, n) -> invalidReasons.merge(reason, n, Integer::sum));
    if (outcome.selectedCandidate() >= 0) {
      selectedDeltaSum += outcome.selectedDelta();
      selectedCount++;
    }
    usage = usage.plus(outcome.usage());
    return outcome;
  }

  @Override
  public RoundProgress progress() {
    if (sparq != null) {
      return sparq.progress(paused);
    }
    return new RoundProgress(
        round,
        stage,
        paused,
        promptsTotal,
        promptsStarted,
        promptsDone,
        candidatesDone,
        validCandidates,
        rolloutsDone,
        executionsDone,
        Map.copyOf(invalidReasons),
        usage);
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
