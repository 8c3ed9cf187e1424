package dev.quarry.workflows.round;

import dev.quarry.core.config.RunConfig;
import dev.quarry.workflows.ActivityStubs;
import dev.quarry.workflows.Ids;
import dev.quarry.workflows.SeedMixer;
import dev.quarry.workflows.Usage;
import dev.quarry.workflows.Visibility;
import dev.quarry.workflows.activities.ConceptActivities;
import dev.quarry.workflows.activities.ConceptExtractionActivities;
import dev.quarry.workflows.activities.ConceptMappingRef;
import dev.quarry.workflows.activities.DatasetActivities;
import dev.quarry.workflows.activities.ExtractConceptsRequest;
import dev.quarry.workflows.activities.ExtractConceptsResult;
import dev.quarry.workflows.activities.PromptSpec;
import dev.quarry.workflows.activities.SamplePromptsRequest;
import dev.quarry.workflows.activities.ShardRequest;
import dev.quarry.workflows.activities.ShardResult;
import dev.quarry.workflows.prompt.PromptInput;
import dev.quarry.workflows.prompt.PromptOutcome;
import dev.quarry.workflows.prompt.PromptWorkflow;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.util.List;

/**
 * A QueST round: extract concepts (if on) → sample prompts (seeded concept walk) → one
 * EvaluatePrompt child per prompt, in the window → write the shard. The round's "selected
 * difficulty" is the mean δ of the prompts' hardest valid candidates.
 */
public final class QuestRound implements MethodRound {
  /** Seed stream of concept extraction: one per run, not per round, so rounds share the cache. */
  private static final long CONCEPT_EXTRACTION_STREAM = -1;

  /** Concept-extraction tokens are counted in the round's usage. */
  static final String CONCEPT_USAGE_CHANGE = "concept-extraction-usage";

  private final ConceptActivities concepts =
      Workflow.newActivityStub(ConceptActivities.class, ActivityStubs.bookkeeping());
  private final ConceptActivities batchConcepts =
      Workflow.newActivityStub(ConceptActivities.class, ActivityStubs.quickBookkeeping());
  private final DatasetActivities dataset =
      Workflow.newActivityStub(DatasetActivities.class, ActivityStubs.bookkeeping());
  private final ConceptExtractionActivities extraction =
      Workflow.newActivityStub(ConceptExtractionActivities.class, ActivityStubs.llm());

  @Override
  public RoundResult run(RoundInput input, RoundContext round) {
    RunConfig config = input.config();
    ConceptMappingRef extracted =
        config.concepts().extract() ? extractConcepts(input, round) : null;
    if (round.batched(config)) {
      round.evaluateInBatches(input, extracted);
    } else {
      round.enter("sampling");
      List<PromptSpec> prompts =
          concepts.samplePrompts(
              new SamplePromptsRequest(
                  config.seeds(),
                  config.concepts(),
                  config.promptsPerRound(),
                  SeedMixer.derive(config.seed(), input.round()),
                  extracted));
      round.total(prompts.size());
      round.enter("evaluating");
      ChildWindow window = round.window(config);
      for (PromptSpec prompt : prompts) {
        window.start(
            () ->
                start(
                    round.visibility(),
                    input.runId(),
                    input.round(),
                    config,
                    input.generatorVersion(),
                    prompt),
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

  /**
   * Every round asks again: the answers are cached by request and seed, so only the first round
   * pays, and a run resumed on another worker still finds its concepts.
   */
  private ConceptMappingRef extractConcepts(RoundInput input, RoundContext round) {
    RunConfig config = input.config();
    round.enter("extracting concepts");
    ExtractConceptsResult result =
        extraction.extractConcepts(
            new ExtractConceptsRequest(
                Ids.round(input.runId(), input.round()),
                config.seeds(),
                config.roles().conceptExtractor(),
                SeedMixer.derive(config.seed(), CONCEPT_EXTRACTION_STREAM)));
    // The extractor's tokens count in the run's usage and budget like any role's: once, in the
    // first round (later rounds are answered from the cache). Versioned: older histories
    // recorded rounds without them.
    if (input.round() == 0
        && Workflow.getVersion(CONCEPT_USAGE_CHANGE, Workflow.DEFAULT_VERSION, 1) == 1) {
      round.spent(Usage.ZERO.plusConceptExtractor(result.usage()));
    }
    return new ConceptMappingRef(result.extraction(), input.runId(), config.outputDir());
  }

  @Override
  public int startBatch(PromptBatchInput batch, Visibility visibility, ChildWindow window) {
    RunConfig config = batch.config();
    List<PromptSpec> prompts =
        batchConcepts.samplePrompts(
            new SamplePromptsRequest(
                config.seeds(),
                config.concepts(),
                batch.prompts(),
                batch.samplingSeed(),
                batch.extracted(),
                batch.firstPrompt()));
    for (PromptSpec prompt : prompts) {
      window.start(
          () ->
              start(
                  visibility,
                  batch.runId(),
                  batch.round(),
                  config,
                  batch.generatorVersion(),
                  prompt),
          PromptTally::plus);
    }
    return prompts.size();
  }

  /**
   * Starts one prompt's child. The unbatched round and the batches start their prompts here, so a
   * batched round gives the same results as an unbatched one (same id, options, input).
   */
  private static Promise<PromptOutcome> start(
      Visibility visibility,
      String runId,
      int round,
      RunConfig config,
      String generatorVersion,
      PromptSpec prompt) {
    PromptWorkflow child =
        Workflow.newChildWorkflowStub(
            PromptWorkflow.class,
            PromptChildOptions.of(
                visibility,
                runId,
                round,
                config,
                generatorVersion,
                prompt.promptIndex(),
                "prompt " + prompt.promptIndex() + ": " + String.join(", ", prompt.concepts())));
    return Async.function(
        child::evaluate, new PromptInput(runId, round, prompt, config, generatorVersion));
  }
}
