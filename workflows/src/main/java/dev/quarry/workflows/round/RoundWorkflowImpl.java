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
import dev.quarry.workflows.prompt.PromptOutcome;
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

  /**
   * Rounds of more prompts than this evaluate them in batch child workflows of at most this many:
   * a child costs its parent about 6 history events and a start input carrying the run config, so
   * 500 keeps every history far below Temporal's 10,240-event and 10 MB warnings.
   */
  public static final int DEFAULT_BATCH_SIZE = 500;

  /** A batch reports to its round after this many finished prompts. */
  public static final int DEFAULT_PROGRESS_EVERY = 25;

  /**
   * The {@link Workflow#getVersion} change id of batching. Asked only by rounds over the batch
   * size, so smaller rounds keep their histories unchanged; a big round started by an older worker
   * (no marker) keeps starting its prompts itself.
   */
  public static final String BATCHES_CHANGE = "quarry-prompt-batches";

  private final int batchSize;
  private final int progressEvery;
  private String currentBatchId;
  private boolean batchPaused;

  public RoundWorkflowImpl() {
    this(DEFAULT_BATCH_SIZE, DEFAULT_PROGRESS_EVERY);
  }

  /** Smaller sizes are for tests; every worker of a namespace must use the same ones. */
  public RoundWorkflowImpl(int batchSize, int progressEvery) {
    if (batchSize < 1 || progressEvery < 1) {
      throw new IllegalArgumentException("batchSize and progressEvery must be positive");
    }
    this.batchSize = batchSize;
    this.progressEvery = progressEvery;
  }

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
  /** Concept-extraction tokens are counted in the round's usage. */
  static final String CONCEPT_USAGE_CHANGE = "concept-extraction-usage";
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
      // The extractor's tokens count in the run's usage and budget like any role's: once, in the
      // first round (later rounds are answered from the cache). Versioned: older histories
      // recorded rounds without them.
      if (round == 0
          && Workflow.getVersion(CONCEPT_USAGE_CHANGE, Workflow.DEFAULT_VERSION, 1) == 1) {
        usage = usage.plusConceptExtractor(result.usage());
      }
    }
    if (config.promptsPerRound() > batchSize
        && Workflow.getVersion(BATCHES_CHANGE, Workflow.DEFAULT_VERSION, 1) == 1) {
      return runBatched(input, extracted);
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
      running++;
      promptsStarted++;
      pending.add(
          PromptChild.start(visibility, input.runId(), round, config, input.generatorVersion(), prompt)
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
   * A big round: batches of at most {@code batchSize} prompts, one after the other, each a child
   * that samples and evaluates its range with the same ids and seeds as an unbatched round. This
   * history holds a few events per batch and the batches' progress signals, not one child per
   * prompt, and no payload carries the whole prompt list.
   */
  private RoundResult runBatched(RoundInput input, ConceptMappingRef extracted) {
    RunConfig config = input.config();
    promptsTotal = config.promptsPerRound();
    long samplingSeed = SeedMixer.derive(config.seed(), round);
    String roundId = Workflow.getInfo().getWorkflowId();
    enter("evaluating");
    int batches = (promptsTotal + batchSize - 1) / batchSize;
    for (int b = 0; b < batches; b++) {
      Workflow.await(() -> !paused);
      int first = b * batchSize;
      int count = Math.min(batchSize, promptsTotal - first);
      String batchId = Ids.batch(input.runId(), round, b);
      PromptBatchWorkflow child =
          Workflow.newChildWorkflowStub(
              PromptBatchWorkflow.class,
              visibility
                  .child(
                      ChildWorkflowOptions.newBuilder()
                          .setWorkflowId(batchId)
                          .setTaskQueue(TaskQueues.WORKFLOWS),
                      input.runId(), round, config, input.generatorVersion(),
                      "prompts " + first + " to " + (first + count - 1) + " of " + promptsTotal)
                  .build());
      batchPaused = paused;
      Promise<PromptBatchResult> result =
          Async.function(
              child::evaluate,
              new PromptBatchInput(
                  input.runId(), round, b, first, count, config, input.generatorVersion(),
                  samplingSeed, extracted, visibility.registered(), roundId, progressEvery,
                  batchPaused));
      Workflow.getWorkflowExecution(child).get();
      currentBatchId = batchId;
      if (paused != batchPaused) {
        forwardToBatch(paused);  // a pause or resume that came while the batch was starting
      }
      PromptBatchResult done = result.get();
      currentBatchId = null;
      absorb(done.unreported());
    }

    enter("writing");
    ShardResult shard =
        dataset.writeShard(
            new ShardRequest(input.runId(), round, promptsTotal, config, input.generatorVersion()));
    enter("done");
    return result(input, shard);
  }

  private void absorb(PromptTally finished) {
    promptsStarted += finished.started();
    promptsDone += finished.prompts();
    candidatesDone += finished.candidates();
    validCandidates += finished.validCandidates();
    rolloutsDone += finished.rollouts();
    executionsDone += finished.executions();
    finished.invalidReasons().forEach((reason, n) -> invalidReasons.merge(reason, n, Integer::sum));
    selectedDeltaSum += finished.selectedDeltaSum();
    selectedCount += finished.selectedCount();
    usage = usage.plus(finished.usage());
  }

  @Override
  public void promptsDone(PromptTally finished) {
    absorb(finished);
  }

  /** Pause and resume reach the batch in flight, which stops starting prompts. */
  private void forwardToBatch(boolean pause) {
    if (currentBatchId == null) {
      return;
    }
    batchPaused = pause;
    PromptBatchWorkflow batch = Workflow.newExternalWorkflowStub(PromptBatchWorkflow.class, currentBatchId);
    // Async: a signal handler must not block on the delivery of another signal.
    if (pause) {
      Async.procedure(batch::pause);
    } else {
      Async.procedure(batch::resume);
    }
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
    forwardToBatch(true);
  }

  @Override
  public void resume() {
    paused = false;
    forwardToBatch(false);
  }
}
