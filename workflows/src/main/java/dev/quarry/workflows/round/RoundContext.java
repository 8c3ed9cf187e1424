package dev.quarry.workflows.round;

import dev.quarry.core.config.RunConfig;
import dev.quarry.workflows.Ids;
import dev.quarry.workflows.QuarrySearchAttributes;
import dev.quarry.workflows.SeedMixer;
import dev.quarry.workflows.TaskQueues;
import dev.quarry.workflows.Usage;
import dev.quarry.workflows.Visibility;
import dev.quarry.workflows.activities.ConceptMappingRef;
import dev.quarry.workflows.activities.ShardResult;
import io.temporal.workflow.Async;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.util.Map;
import java.util.Set;

/**
 * What every method's round shares: its stage, pause, the tally its prompts fold into, the window
 * its children start in, and the batched path of big rounds. A method's round class ({@link
 * MethodRound}) says only its own steps, in order, and calls these.
 */
public final class RoundContext implements ChildWindow.Listener {
  private final int batchSize;
  private final int progressEvery;

  private int round;
  private String stage = "starting";
  private Visibility visibility = new Visibility(Set.of());
  private boolean paused;
  private int promptsTotal;
  private PromptTally tally = PromptTally.ZERO;

  /** The batch in flight of a big round, which pause and resume are forwarded to. */
  private String currentBatchId;

  private boolean batchPaused;

  RoundContext(int batchSize, int progressEvery) {
    this.batchSize = batchSize;
    this.progressEvery = progressEvery;
  }

  void begin(RoundInput input) {
    round = input.round();
    visibility = new Visibility(input.searchAttributes());
  }

  public Visibility visibility() {
    return visibility;
  }

  /**
   * A new stage: shown by the progress query and, where registered, as QuarryStage, with the
   * prompts failed so far as QuarryFailedPrompts (one upsert, so a history recorded before the
   * count existed, whose namespace did not have it, replays the same commands).
   */
  public void enter(String next) {
    stage = next;
    visibility.upsert(
        Map.of(
            QuarrySearchAttributes.STAGE,
            next,
            QuarrySearchAttributes.FAILED_PROMPTS,
            (long) failedPrompts()));
  }

  /** How many prompts the round has, once known. */
  public void total(int prompts) {
    promptsTotal = prompts;
  }

  public int total() {
    return promptsTotal;
  }

  /** Prompts whose child failed so far: the shard writer allows their records to be missing. */
  public int failedPrompts() {
    return tally.failedPrompts().values().stream().mapToInt(Integer::intValue).sum();
  }

  /** A window of the run's maxConcurrentPrompts children, counted into this round's tally. */
  public ChildWindow window(RunConfig config) {
    return new ChildWindow(config.maxConcurrentPrompts(), () -> paused, this);
  }

  @Override
  public void started() {
    tally = tally.plusStarted(1);
  }

  @Override
  public void finished(PromptTally one) {
    tally = tally.plus(one);
  }

  /** Tokens the round spent outside its prompts. */
  void spent(Usage usage) {
    tally = tally.plusUsage(usage);
  }

  /** A batch's report: its prompts finished since its last one. */
  void promptsDone(PromptTally report) {
    tally = tally.plus(report);
  }

  /**
   * Whether this round runs as batches: only rounds over the batch size ask, so smaller rounds keep
   * their histories exactly; a big round started by an older worker (no marker) keeps starting its
   * prompts itself.
   */
  public boolean batched(RunConfig config) {
    return config.promptsPerRound() > batchSize
        && Workflow.getVersion(RoundWorkflowImpl.BATCHES_CHANGE, Workflow.DEFAULT_VERSION, 1) == 1;
  }

  /**
   * A big round: batches of at most the batch size, one after the other, each a child that takes
   * its range of prompts (sampled or drawn with the round's seed and absolute prompt indices) and
   * starts them with the same ids and seeds as an unbatched round. This history holds a few events
   * per batch and the batches' progress signals, not one child per prompt, and no payload carries
   * the whole prompt list.
   */
  public void evaluateInBatches(RoundInput input, ConceptMappingRef extracted) {
    RunConfig config = input.config();
    promptsTotal = config.promptsPerRound();
    long roundSeed = SeedMixer.derive(config.seed(), round);
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
                      input.runId(),
                      round,
                      config,
                      input.generatorVersion(),
                      "prompts " + first + " to " + (first + count - 1) + " of " + promptsTotal)
                  .build());
      batchPaused = paused;
      Promise<PromptBatchResult> result =
          Async.function(
              child::evaluate,
              new PromptBatchInput(
                  input.runId(),
                  round,
                  b,
                  first,
                  count,
                  config,
                  input.generatorVersion(),
                  roundSeed,
                  extracted,
                  visibility.registered(),
                  roundId,
                  progressEvery,
                  batchPaused));
      Workflow.getWorkflowExecution(child).get();
      currentBatchId = batchId;
      if (paused != batchPaused) {
        forwardToBatch(paused); // a pause or resume that came while the batch was starting
      }
      PromptBatchResult done = result.get();
      currentBatchId = null;
      tally = tally.plus(done.unreported());
    }
  }

  void pause(boolean pause) {
    paused = pause;
    forwardToBatch(pause);
  }

  /** Pause and resume reach the batch in flight, which stops starting prompts. */
  private void forwardToBatch(boolean pause) {
    if (currentBatchId == null) {
      return;
    }
    batchPaused = pause;
    PromptBatchWorkflow batch =
        Workflow.newExternalWorkflowStub(PromptBatchWorkflow.class, currentBatchId);
    // Async: a signal handler must not block on the delivery of another signal.
    if (pause) {
      Async.procedure(batch::pause);
    } else {
      Async.procedure(batch::resume);
    }
  }

  /** The round's result; {@code meanSelected} is the method's own figure of its kept problems. */
  public RoundResult result(RoundInput input, ShardResult shard, double meanSelected) {
    return new RoundResult(
        round,
        input.generatorVersion(),
        promptsTotal,
        tally.candidates(),
        tally.validCandidates(),
        tally.invalidCandidates(),
        tally.invalidReasons(),
        meanSelected,
        tally.usage(),
        shard,
        tally.failedPrompts());
  }

  /** The result with the mean δ or fail rate of the selected candidates. */
  public RoundResult result(RoundInput input, ShardResult shard) {
    return result(input, shard, tally.meanSelected());
  }

  RoundProgress progress() {
    return new RoundProgress(
        round,
        stage,
        paused,
        promptsTotal,
        tally.started(),
        tally.prompts(),
        tally.candidates(),
        tally.validCandidates(),
        tally.rollouts(),
        tally.executions(),
        tally.invalidReasons(),
        tally.usage(),
        tally.failedPrompts());
  }
}
