package dev.quarry.workflows.scalequest;

import dev.quarry.core.config.RunConfig;
import dev.quarry.workflows.ActivityStubs;
import dev.quarry.workflows.Visibility;
import dev.quarry.workflows.activities.ShardRequest;
import dev.quarry.workflows.activities.ShardResult;
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

/**
 * A ScaleQuest round: questions come from scratch, so no concept sampling; one ScaleQuestQuestion
 * child per question, in the window (or in batches, for a big round) → write the shard. The round's
 * "selected difficulty" is the mean fail rate of the kept questions.
 */
public final class ScaleQuestRound implements MethodRound {
  private final ScaleQuestDatasetActivities dataset =
      Workflow.newActivityStub(ScaleQuestDatasetActivities.class, ActivityStubs.bookkeeping());

  @Override
  public RoundResult run(RoundInput input, RoundContext round) {
    RunConfig config = input.config();
    round.total(config.promptsPerRound());
    if (round.batched(config)) {
      round.evaluateInBatches(input, null);
    } else {
      round.enter("evaluating");
      ChildWindow window = round.window(config);
      for (int i = 0; i < config.promptsPerRound(); i++) {
        int question = i;
        window.start(
            () ->
                start(
                    round.visibility(),
                    input.runId(),
                    input.round(),
                    config,
                    input.generatorVersion(),
                    question),
            PromptTally::plus);
      }
      window.awaitAll();
    }
    round.enter("writing");
    ShardResult shard =
        dataset.writeShard(
            new ShardRequest(
                input.runId(),
                input.round(),
                round.total(),
                config,
                input.generatorVersion(),
                round.failedPrompts()));
    round.enter("done");
    return round.result(input, shard);
  }

  @Override
  public int startBatch(PromptBatchInput batch, Visibility visibility, ChildWindow window) {
    for (int i = batch.firstPrompt(); i < batch.firstPrompt() + batch.prompts(); i++) {
      int question = i;
      window.start(
          () ->
              start(
                  visibility,
                  batch.runId(),
                  batch.round(),
                  batch.config(),
                  batch.generatorVersion(),
                  question),
          PromptTally::plus);
    }
    return batch.prompts();
  }

  /** One question's child, the same from a round and from a batch. */
  private static Promise<QuestionOutcome> start(
      Visibility visibility,
      String runId,
      int round,
      RunConfig config,
      String generatorVersion,
      int question) {
    ScaleQuestQuestionWorkflow child =
        Workflow.newChildWorkflowStub(
            ScaleQuestQuestionWorkflow.class,
            PromptChildOptions.of(
                visibility,
                runId,
                round,
                config,
                generatorVersion,
                question,
                "question " + question));
    return Async.function(
        child::evaluate, new QuestionInput(runId, round, question, config, generatorVersion));
  }
}
