package dev.quarry.workflows.round;

/**
 * The GenerationRound workflow: chooses the run's method's round ({@link MethodRound}) and answers
 * the progress query and the pause, resume and batch-report signals from the state all methods
 * share ({@link RoundContext}).
 */
public class RoundWorkflowImpl implements RoundWorkflow {
  /**
   * Rounds of more prompts than this evaluate them in batch child workflows of at most this many: a
   * child costs its parent about 6 history events and a start input carrying the run config, so 500
   * keeps every history far below Temporal's 10,240-event and 10 MB warnings.
   */
  public static final int DEFAULT_BATCH_SIZE = 500;

  /** A batch reports to its round after this many finished prompts. */
  public static final int DEFAULT_PROGRESS_EVERY = 25;

  /**
   * The {@link io.temporal.workflow.Workflow#getVersion} change id of batching. Asked only by
   * rounds over the batch size, so smaller rounds keep their histories unchanged; a big round
   * started by an older worker (no marker) keeps starting its prompts itself.
   */
  public static final String BATCHES_CHANGE = "quarry-prompt-batches";

  private final RoundContext round;

  public RoundWorkflowImpl() {
    this(DEFAULT_BATCH_SIZE, DEFAULT_PROGRESS_EVERY);
  }

  /** Smaller sizes are for tests; every worker of a namespace must use the same ones. */
  public RoundWorkflowImpl(int batchSize, int progressEvery) {
    if (batchSize < 1 || progressEvery < 1) {
      throw new IllegalArgumentException("batchSize and progressEvery must be positive");
    }
    this.round = new RoundContext(batchSize, progressEvery);
  }

  @Override
  public RoundResult run(RoundInput input) {
    round.begin(input);
    return MethodRound.of(input.config().method()).run(input, round);
  }

  @Override
  public RoundProgress progress() {
    return round.progress();
  }

  @Override
  public void pause() {
    round.pause(true);
  }

  @Override
  public void resume() {
    round.pause(false);
  }

  @Override
  public void promptsDone(PromptTally finished) {
    round.promptsDone(finished);
  }
}
