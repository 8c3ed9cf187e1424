package dev.quarry.workflows;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quarry.workflows.activities.DatasetActivities;
import dev.quarry.workflows.activities.ShardRequest;
import dev.quarry.workflows.prompt.PromptWorkflowImpl;
import dev.quarry.workflows.round.PromptBatchWorkflowImpl;
import dev.quarry.workflows.round.PromptTally;
import dev.quarry.workflows.round.RoundInput;
import dev.quarry.workflows.round.RoundProgress;
import dev.quarry.workflows.round.RoundResult;
import dev.quarry.workflows.round.RoundWorkflow;
import dev.quarry.workflows.round.RoundWorkflowImpl;
import dev.quarry.workflows.run.GenerationRunWorkflowImpl;
import dev.quarry.workflows.scalequest.ScaleQuestQuestionWorkflowImpl;
import dev.quarry.workflows.sparq.SolveMathRequest;
import dev.quarry.workflows.sparq.SparqLlmActivities;
import dev.quarry.workflows.sparq.SparqPromptInput;
import dev.quarry.workflows.sparq.SparqPromptOutcome;
import dev.quarry.workflows.sparq.SparqPromptWorkflow;
import dev.quarry.workflows.sparq.SparqPromptWorkflowImpl;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerOptions;
import io.temporal.workflow.Workflow;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Replays recorded histories against today's workflow code: a change that would break runs in
 * flight fails here before it reaches a worker.
 */
class ReplayTest {
  /** History file → workflow id in the recording run. */
  static final Map<String, String> HISTORIES =
      Map.of(
          "generation-run.json", "replay-run",
          "generation-round.json", "replay-run/round-0",
          "evaluate-prompt.json", "replay-run/round-0/prompt-0",
          "generation-round-extracting.json", "replay-extracting/round-0",
          "generation-round-extracting-usage.json", "replay-extracting/round-0",
          "scalequest-round.json", "replay-sq-run/round-0",
          "scalequest-question.json", "replay-sq-run/round-0/prompt-0");

  /** SPARQ's histories, recorded from their own run (RecordHistoriesTest#recordSparq). */
  static final Map<String, String> SPARQ_HISTORIES =
      Map.of(
          "sparq-round.json", "replay-sparq/round-0",
          "sparq-prompt.json", "replay-sparq/round-0/prompt-1",
          "sparq-prompt-invalid.json", "replay-sparq/round-0/prompt-2");

  /** A run retrained by the Python trainer (RecordHistoriesTest#recordPython). */
  static final Map<String, String> PYTHON_HISTORIES =
      Map.of("generation-run-python.json", "replay-python");

  /** A prompt whose candidates sampled adaptive rollouts (RecordHistoriesTest#recordAdaptive). */
  static final Map<String, String> ADAPTIVE_HISTORIES =
      Map.of("evaluate-prompt-adaptive.json", "replay-adaptive/round-0/prompt-0");

  /** A run that began with the preflight step (RecordHistoriesTest#recordPreflight). */
  static final Map<String, String> PREFLIGHT_HISTORIES =
      Map.of("generation-run-preflight.json", "replay-preflight");

  /**
   * A batched round's histories, recorded with batches of 4 (RecordHistoriesTest#recordBatched).
   */
  static final Map<String, String> BATCHED_HISTORIES =
      Map.of(
          "generation-round-batched.json", "replay-batched/round-0",
          "prompt-batch.json", "replay-batched/round-0/batch-1");

  /**
   * Batched ScaleQuest and SPARQ rounds and one batch of each (batches of 4), and a QueST round
   * whose prompt 1 failed as a whole (RecordHistoriesTest#recordMethodBatches).
   */
  static final Map<String, String> METHOD_BATCHED_HISTORIES =
      Map.of(
          "scalequest-round-batched.json", "replay-sq-batched/round-0",
          "scalequest-batch.json", "replay-sq-batched/round-0/batch-1",
          "sparq-round-batched.json", "replay-sparq-batched/round-0",
          "sparq-batch.json", "replay-sparq-batched/round-0/batch-1",
          "generation-round-failed-prompt.json", "replay-failed/round-0");

  static final int SMALL_BATCH = 4;
  static final int SMALL_PROGRESS_EVERY = 2;

  /** The round as recorded for BATCHED_HISTORIES: batches of 4, a report every 2 prompts. */
  public static class SmallBatchRound extends RoundWorkflowImpl {
    public SmallBatchRound() {
      super(SMALL_BATCH, SMALL_PROGRESS_EVERY);
    }
  }

  /**
   * Replays one history on a worker that allows a workflow thread 30 s without yielding (the SDK's
   * default is 1 s): on a loaded machine the first workflow task, which loads the classes, can take
   * longer, and that is not the non-determinism these tests look for.
   */
  static void replay(WorkflowExecutionHistory history, Class<?> workflow) throws Exception {
    try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance()) {
      Worker worker =
          env.newWorker(
              "replay",
              WorkerOptions.newBuilder().setDefaultDeadlockDetectionTimeout(30_000).build());
      worker.registerWorkflowImplementationTypes(workflow);
      WorkflowReplayer.replayWorkflowExecution(history, worker);
    }
  }

  /** The recorded history, with its workflow id: child workflow ids are derived from it. */
  static WorkflowExecutionHistory history(String name) throws IOException {
    try (InputStream in = ReplayTest.class.getResourceAsStream("/histories/" + name)) {
      if (in == null) {
        throw new IllegalStateException(
            "missing recorded history " + name + "; see RecordHistoriesTest");
      }
      String id = null;
      for (Map<String, String> histories :
          List.of(
              HISTORIES,
              SPARQ_HISTORIES,
              PYTHON_HISTORIES,
              BATCHED_HISTORIES,
              METHOD_BATCHED_HISTORIES,
              PREFLIGHT_HISTORIES,
              ADAPTIVE_HISTORIES)) {
        id = id != null ? id : histories.get(base(name));
      }
      return WorkflowExecutionHistory.fromJson(
          new String(in.readAllBytes(), StandardCharsets.UTF_8), id);
    }
  }

  /** "before-visibility/x.json" was recorded from the same workflow ids as "x.json". */
  private static String base(String name) {
    return name.substring(name.lastIndexOf('/') + 1);
  }

  @Test
  void aRunRetrainedByThePythonTrainerReplays() throws Exception {
    replay(history("generation-run-python.json"), GenerationRunWorkflowImpl.class);
  }

  /**
   * A run that began with the preflight (its version marker in the history) replays; runs from
   * before it (generation-run.json and the others, no marker) replay without it.
   */
  @Test
  void aRunWithThePreflightReplays() throws Exception {
    replay(history("generation-run-preflight.json"), GenerationRunWorkflowImpl.class);
  }

  @Test
  void generationRunReplays() throws Exception {
    replay(history("generation-run.json"), GenerationRunWorkflowImpl.class);
  }

  @Test
  void generationRoundReplays() throws Exception {
    replay(history("generation-round.json"), RoundWorkflowImpl.class);
  }

  @Test
  void generationRoundWithConceptExtractionReplays() throws Exception {
    replay(history("generation-round-extracting.json"), RoundWorkflowImpl.class);
  }

  /** Recorded after concept-extraction tokens joined the round's usage (a version marker). */
  @Test
  void roundWithConceptExtractionUsageReplays() throws Exception {
    WorkflowReplayer.replayWorkflowExecution(
        history("generation-round-extracting-usage.json"), RoundWorkflowImpl.class);
  }

  @Test
  void batchedRoundReplays() throws Exception {
    replay(history("generation-round-batched.json"), SmallBatchRound.class);
  }

  @Test
  void promptBatchReplays() throws Exception {
    replay(history("prompt-batch.json"), PromptBatchWorkflowImpl.class);
  }

  /**
   * The batch size is part of the workflow's logic: a batched history replayed with another size
   * (here the default 500, so the 7-prompt round is not batched) fails. That is why it is a
   * constant every worker shares, not a per-worker setting.
   */
  @Test
  void aBatchedHistoryDoesNotReplayOnTheUnbatchedPath() {
    Exception failure =
        assertThrows(
            Exception.class,
            () -> replay(history("generation-round-batched.json"), RoundWorkflowImpl.class));
    assertTrue(
        String.valueOf(failure.getMessage()).contains("NonDeterministicException"),
        "expected a non-determinism failure, got: " + failure);
  }

  @Test
  void batchedScaleQuestAndSparqRoundsReplay() throws Exception {
    replay(history("scalequest-round-batched.json"), SmallBatchRound.class);
    replay(history("sparq-round-batched.json"), SmallBatchRound.class);
    replay(history("scalequest-batch.json"), PromptBatchWorkflowImpl.class);
    replay(history("sparq-batch.json"), PromptBatchWorkflowImpl.class);
  }

  @Test
  void aRoundWithAFailedPromptReplays() throws Exception {
    replay(history("generation-round-failed-prompt.json"), RoundWorkflowImpl.class);
  }

  @Test
  void aPromptWithAdaptiveRolloutsReplays() throws Exception {
    replay(history("evaluate-prompt-adaptive.json"), PromptWorkflowImpl.class);
  }

  @Test
  void evaluatePromptReplays() throws Exception {
    replay(history("evaluate-prompt.json"), PromptWorkflowImpl.class);
  }

  @Test
  void scaleQuestRoundReplays() throws Exception {
    replay(history("scalequest-round.json"), RoundWorkflowImpl.class);
  }

  @Test
  void scaleQuestQuestionReplays() throws Exception {
    replay(history("scalequest-question.json"), ScaleQuestQuestionWorkflowImpl.class);
  }

  @Test
  void sparqRoundReplays() throws Exception {
    replay(history("sparq-round.json"), RoundWorkflowImpl.class);
  }

  @Test
  void sparqPromptReplays() throws Exception {
    replay(history("sparq-prompt.json"), SparqPromptWorkflowImpl.class);
    replay(history("sparq-prompt-invalid.json"), SparqPromptWorkflowImpl.class);
  }

  @Test
  void anIncompatibleSparqChangeIsCaught() {
    Exception failure =
        assertThrows(
            Exception.class,
            () -> replay(history("sparq-prompt.json"), SolveFirstSparqPrompt.class));
    assertTrue(
        String.valueOf(failure.getMessage()).contains("NonDeterministicException"),
        "expected a non-determinism failure, got: " + failure);
  }

  /** A SPARQ prompt that solves before it generates: what a careless reordering might do. */
  public static class SolveFirstSparqPrompt implements SparqPromptWorkflow {
    private final SparqLlmActivities llm =
        Workflow.newActivityStub(SparqLlmActivities.class, ActivityStubs.llm());

    @Override
    public SparqPromptOutcome evaluate(SparqPromptInput input) {
      llm.solve(
          new SolveMathRequest(
              "k", input.parent().problem(), input.config().roles().solver(), 1, 1));
      return null;
    }
  }

  /**
   * Histories recorded by workers from before search attributes existed (kept under
   * histories/before-visibility/): runs in flight during that rollout replay on today's code,
   * because the change is behind {@code Workflow.getVersion} (the run) and behind an input field
   * that old rounds do not have (rounds and prompts). The rollout procedure in the README.
   */
  @Test
  void runsStartedBeforeSearchAttributesStillReplay() throws Exception {
    replay(history("before-visibility/generation-run.json"), GenerationRunWorkflowImpl.class);
    replay(history("before-visibility/generation-round.json"), RoundWorkflowImpl.class);
    replay(history("before-visibility/evaluate-prompt.json"), PromptWorkflowImpl.class);
    replay(history("before-visibility/sparq-round.json"), RoundWorkflowImpl.class);
  }

  @Test
  void anIncompatibleChangeIsCaught() {
    Exception failure =
        assertThrows(
            Exception.class,
            () -> replay(history("generation-round.json"), ShardFirstRoundWorkflow.class));
    assertTrue(
        String.valueOf(failure.getMessage()).contains("NonDeterministicException"),
        "expected a non-determinism failure, got: " + failure);
  }

  /** A round that writes its shard before sampling: what a careless refactor might do. */
  public static class ShardFirstRoundWorkflow implements RoundWorkflow {
    private final DatasetActivities dataset =
        Workflow.newActivityStub(DatasetActivities.class, ActivityStubs.bookkeeping());

    @Override
    public RoundResult run(RoundInput input) {
      dataset.writeShard(
          new ShardRequest(
              input.runId(), input.round(), 0, input.config(), input.generatorVersion()));
      return null;
    }

    @Override
    public RoundProgress progress() {
      return null;
    }

    @Override
    public void pause() {}

    @Override
    public void resume() {}

    @Override
    public void promptsDone(PromptTally finished) {}
  }
}
