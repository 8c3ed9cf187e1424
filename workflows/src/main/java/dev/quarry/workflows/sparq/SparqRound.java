package dev.quarry.workflows.sparq;

import dev.quarry.core.config.RunConfig;
import dev.quarry.workflows.ActivityStubs;
import dev.quarry.workflows.Ids;
import dev.quarry.workflows.SeedMixer;
import dev.quarry.workflows.TaskQueues;
import dev.quarry.workflows.Visibility;
import dev.quarry.workflows.Usage;
import dev.quarry.workflows.round.RoundInput;
import dev.quarry.workflows.round.RoundProgress;
import dev.quarry.workflows.round.RoundResult;
import io.temporal.workflow.Async;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;

/**
 * A SPARQ round, run inside the GenerationRound workflow: prepare (archive, parents) → one
 * SparqPrompt child per parent (sliding window) → archive update → filtered shard. Workflow code:
 * deterministic, no I/O; every step with an effect is an activity.
 */
public final class SparqRound {
  private final SparqActivities sparq =
      Workflow.newActivityStub(SparqActivities.class, ActivityStubs.bookkeeping());

  private int round;
  private String stage = "starting";
  private Visibility visibility = new Visibility(java.util.Set.of());

  /** A new stage: shown by the progress query and, where registered, as QuarryStage. */
  private void enter(String next) {
    stage = next;
    visibility.stage(next);
  }
  private int promptsTotal;
  private int promptsStarted;
  private int running;
  private int promptsDone;
  private int valid;
  private int rolloutsDone;
  private final Map<String, Integer> invalidReasons = new TreeMap<>();
  private Usage usage = Usage.ZERO;

  /** @param paused read before each child starts; the round waits while it is true */
  public RoundResult run(RoundInput input, BooleanSupplier paused) {
    visibility = new Visibility(input.searchAttributes());
    RunConfig config = input.config();
    round = input.round();
    enter("archive");
    PreparedRound prepared =
        sparq.prepareRound(
            new PrepareRoundRequest(input.runId(), round, config, SeedMixer.derive(config.seed(), round)));
    promptsTotal = prepared.parents().size();

    enter("evaluating");
    List<Promise<SparqPromptOutcome>> pending = new ArrayList<>();
    for (SparqParent parent : prepared.parents()) {
      Workflow.await(() -> !paused.getAsBoolean() && running < config.maxConcurrentPrompts());
      SparqPromptWorkflow child =
          Workflow.newChildWorkflowStub(
              SparqPromptWorkflow.class,
              visibility
                  .child(
                      ChildWorkflowOptions.newBuilder()
                          .setWorkflowId(Ids.prompt(input.runId(), round, parent.promptIndex()))
                          .setTaskQueue(TaskQueues.WORKFLOWS),
                      input.runId(), round, config, input.generatorVersion(),
                      "problem " + parent.promptIndex())
                  .build());
      running++;
      promptsStarted++;
      pending.add(
          Async.function(
                  child::evaluate,
                  new SparqPromptInput(
                      input.runId(), round, parent, prepared.vocabulary(), config, input.generatorVersion()))
              .thenApply(this::absorb));
    }
    Promise.allOf(pending).get();

    enter("archiving");
    sparq.updateArchive(new UpdateArchiveRequest(input.runId(), round, promptsTotal, config));

    enter("writing");
    SparqShard written =
        sparq.writeShard(new SparqShardRequest(input.runId(), round, promptsTotal, config, input.generatorVersion()));
    enter("done");
    return new RoundResult(
        round,
        input.generatorVersion(),
        promptsTotal,
        promptsDone,
        valid,
        promptsDone - valid,
        Map.copyOf(invalidReasons),
        written.meanQuality(),
        usage,
        written.shard());
  }

  private SparqPromptOutcome absorb(SparqPromptOutcome outcome) {
    running--;
    promptsDone++;
    rolloutsDone += outcome.rollouts();
    if (outcome.valid()) {
      valid++;
    } else {
      invalidReasons.merge(outcome.invalidReason(), 1, Integer::sum);
    }
    usage = usage.plus(outcome.usage());
    return outcome;
  }

  public RoundProgress progress(boolean paused) {
    return new RoundProgress(
        round,
        stage,
        paused,
        promptsTotal,
        promptsStarted,
        promptsDone,
        promptsDone,
        valid,
        rolloutsDone,
        0,
        Map.copyOf(invalidReasons),
        usage);
  }
}
