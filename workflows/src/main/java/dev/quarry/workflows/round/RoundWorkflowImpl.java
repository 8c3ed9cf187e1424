package dev.quarry.workflows.round;

import dev.quarry.core.config.Method;
import dev.quarry.core.config.RunConfig;
import dev.quarry.workflows.ActivityStubs;
import dev.quarry.workflows.Ids;
import dev.quarry.workflows.SeedMixer;
import dev.quarry.workflows.TaskQueues;
import dev.quarry.workflows.Visibility;
import dev.quarry.workflows.Usage;
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
import dev.quarry.workflows.scalequest.QuestionInput;
import dev.quarry.workflows.scalequest.QuestionOutcome;
import dev.quarry.workflows.scalequest.ScaleQuestDatasetActivities;
import dev.quarry.workflows.scalequest.ScaleQuestQuestionWorkflow;
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
  private final ConceptExtractionActivities extraction =
      Workflow.newActivityStub(ConceptExtractionActivities.class, ActivityStubs.llm());
  private final ScaleQuestDatasetActivities scaleQuestDataset =
      Workflow.newActivityStub(ScaleQuestDatasetActivities.class, ActivityStubs.bookkeeping());

  /** Seed stream of concept extraction: one per run, not per round, so rounds share the cache. */
  private static final long CONCEPT_EXTRACTION_STREAM = -1;

  private int round;
  private String stage = "starting";
  private Visibility visibility = new Visibility(java.util.Set.of());
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
    visibility = new Visibility(input.searchAttributes());
    if (config.method() == Method.SPARQ) {
      sparq = new SparqRound();
      return sparq.run(input, () -> paused);
    }
    round = input.round();
    if (config.method() == Method.SCALEQUEST) {
      return runScaleQuest(input);
    }
    ConceptMappingRef extracted = null;
    if (config.concepts().extract()) {
      // Every round asks again: the answers are cached by request and seed, so only the first
      // round pays, and a run resumed on another worker still finds its concepts.
      enter("extracting concepts");
      ExtractConceptsResult result =
          extraction.extractConcepts(
              new ExtractConceptsRequest(
                  Ids.round(input.runId(), round),
                  config.seeds(),
                  config.roles().conceptExtractor(),
                  SeedMixer.derive(config.seed(), CONCEPT_EXTRACTION_STREAM)));
      extracted = new ConceptMappingRef(result.extraction(), input.runId(), config.outputDir());
    }
    enter("sampling");
    List<PromptSpec> prompts =
        concepts.samplePrompts(
            new SamplePromptsRequest(
                config.seeds(),
                config.concepts(),
                config.promptsPerRound(),
                SeedMixer.derive(config.seed(), round),
                extracted));
    promptsTotal = prompts.size();

    enter("evaluating");
    List<Promise<PromptOutcome>> pending = new ArrayList<>();
    for (PromptSpec prompt : prompts) {
      // Sliding window: never more than maxConcurrentPrompts children in flight.
      Workflow.await(() -> !paused && running < config.maxConcurrentPrompts());
      PromptWorkflow child =
          Workflow.newChildWorkflowStub(
              PromptWorkflow.class,
              visibility
                  .child(
                      ChildWorkflowOptions.newBuilder()
                          .setWorkflowId(Ids.prompt(input.runId(), round, prompt.promptIndex()))
                          .setTaskQueue(TaskQueues.WORKFLOWS),
                      input.runId(), round, config, input.generatorVersion(),
                      "prompt " + prompt.promptIndex() + ": " + String.join(", ", prompt.concepts()))
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

    enter("writing");
    ShardResult shard =
        dataset.writeShard(
            new ShardRequest(input.runId(), round, promptsTotal, config, input.generatorVersion()));
    enter("done");
    return result(input, shard);
  }

  /**
   * ScaleQuest: questions come from scratch, so no concept sampling; one child workflow per
   * question, in the same bounded window. The round's "selected difficulty" is then the mean fail
   * rate of the kept questions.
   */
  private RoundResult runScaleQuest(RoundInput input) {
    RunConfig config = input.config();
    promptsTotal = config.promptsPerRound();
    enter("evaluating");
    List<Promise<QuestionOutcome>> pending = new ArrayList<>();
    for (int i = 0; i < promptsTotal; i++) {
      Workflow.await(() -> !paused && running < config.maxConcurrentPrompts());
      ScaleQuestQuestionWorkflow child =
          Workflow.newChildWorkflowStub(
              ScaleQuestQuestionWorkflow.class,
              visibility
                  .child(
                      ChildWorkflowOptions.newBuilder()
                          .setWorkflowId(Ids.prompt(input.runId(), round, i))
                          .setTaskQueue(TaskQueues.WORKFLOWS),
                      input.runId(), round, input.config(), input.generatorVersion(),
                      "question " + i)
                  .build());
      running++;
      promptsStarted++;
      pending.add(
          Async.function(
                  child::evaluate,
                  new QuestionInput(input.runId(), round, i, config, input.generatorVersion()))
              .thenApply(this::absorbQuestion));
    }
    Promise.allOf(pending).get();

    enter("writing");
    ShardResult shard =
        scaleQuestDataset.writeShard(
            new ShardRequest(input.runId(), round, promptsTotal, config, input.generatorVersion()));
    enter("done");
    return result(input, shard);
  }

  private QuestionOutcome absorbQuestion(QuestionOutcome outcome) {
    running--;
    promptsDone++;
    candidatesDone++;
    rolloutsDone += outcome.solverSamples();
    if (outcome.kept()) {
      validCandidates++;
      selectedDeltaSum += outcome.failRate();
      selectedCount++;
    } else {
      invalidReasons.merge(outcome.rejectedBy(), 1, Integer::sum);
    }
    usage = usage.plus(outcome.usage());
    return outcome;
  }

  private RoundResult result(RoundInput input, ShardResult shard) {
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

  /** A new stage: shown by the progress query and, where registered, as QuarryStage. */
  private void enter(String next) {
    stage = next;
    visibility.stage(next);
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
