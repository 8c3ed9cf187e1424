package dev.quarry.workflows.sparq;

import dev.quarry.core.config.RunConfig;
import dev.quarry.workflows.ActivityStubs;
import dev.quarry.workflows.SeedMixer;
import dev.quarry.workflows.Visibility;
import dev.quarry.workflows.round.ChildWindow;
import dev.quarry.workflows.round.MethodRound;
import dev.quarry.workflows.round.PromptBatchInput;
import dev.quarry.workflows.round.PromptChildOptions;
import dev.quarry.workflows.round.PromptTally;
import dev.quarry.workflows.round.RoundContext;
import dev.quarry.workflows.round.RoundInput;
import dev.quarry.workflows.round.RoundResult;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.util.List;

/**
 * A SPARQ round: prepare (archive, parents) → one SparqPrompt child per parent, in the window →
 * archive update → filtered shard. A big round's batches each draw their own range of parents (the
 * same draw, by the round's seed), so no payload carries every parent. The round's "selected
 * difficulty" is the mean quality of the shard's problems.
 */
public final class SparqRound implements MethodRound {
  private final SparqActivities sparq =
      Workflow.newActivityStub(SparqActivities.class, ActivityStubs.bookkeeping());

  @Override
  public RoundResult run(RoundInput input, RoundContext round) {
    RunConfig config = input.config();
    if (round.batched(config)) {
      round.evaluateInBatches(input, null);
    } else {
      round.enter("archive");
      PreparedRound prepared =
          sparq.prepareRound(
              new PrepareRoundRequest(
                  input.runId(),
                  input.round(),
                  config,
                  SeedMixer.derive(config.seed(), input.round())));
      round.total(prepared.parents().size());
      round.enter("evaluating");
      ChildWindow window = round.window(config);
      startAll(
          prepared,
          round.visibility(),
          input.runId(),
          input.round(),
          config,
          input.generatorVersion(),
          window);
      window.awaitAll();
    }
    round.enter("archiving");
    sparq.updateArchive(
        new UpdateArchiveRequest(
            input.runId(), input.round(), round.total(), config, round.failedPrompts()));

    round.enter("writing");
    SparqShard written =
        sparq.writeShard(
            new SparqShardRequest(
                input.runId(),
                input.round(),
                round.total(),
                config,
                input.generatorVersion(),
                round.failedPrompts()));
    round.enter("done");
    return round.result(input, written.shard(), written.meanQuality());
  }

  @Override
  public int startBatch(PromptBatchInput batch, Visibility visibility, ChildWindow window) {
    PreparedRound prepared =
        sparq.prepareRound(
            new PrepareRoundRequest(
                batch.runId(),
                batch.round(),
                batch.config(),
                batch.samplingSeed(),
                batch.firstPrompt(),
                batch.prompts()));
    startAll(
        prepared,
        visibility,
        batch.runId(),
        batch.round(),
        batch.config(),
        batch.generatorVersion(),
        window);
    return prepared.parents().size();
  }

  private static void startAll(
      PreparedRound prepared,
      Visibility visibility,
      String runId,
      int round,
      RunConfig config,
      String generatorVersion,
      ChildWindow window) {
    for (SparqParent parent : prepared.parents()) {
      window.start(
          () ->
              start(
                  visibility,
                  runId,
                  round,
                  config,
                  generatorVersion,
                  parent,
                  prepared.vocabulary()),
          PromptTally::plus);
    }
  }

  /** One parent's child, the same from a round and from a batch. */
  private static Promise<SparqPromptOutcome> start(
      Visibility visibility,
      String runId,
      int round,
      RunConfig config,
      String generatorVersion,
      SparqParent parent,
      List<String> vocabulary) {
    SparqPromptWorkflow child =
        Workflow.newChildWorkflowStub(
            SparqPromptWorkflow.class,
            PromptChildOptions.of(
                visibility,
                runId,
                round,
                config,
                generatorVersion,
                parent.promptIndex(),
                "problem " + parent.promptIndex()));
    return Async.function(
        child::evaluate,
        new SparqPromptInput(runId, round, parent, vocabulary, config, generatorVersion));
  }
}
