package dev.quarry.workflows;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quarry.core.config.RunConfig;
import dev.quarry.workflows.prompt.PromptRecord;
import dev.quarry.workflows.round.RoundInput;
import dev.quarry.workflows.round.RoundProgress;
import dev.quarry.workflows.round.RoundResult;
import dev.quarry.workflows.round.RoundWorkflow;
import dev.quarry.workflows.run.GenerationRunWorkflow;
import dev.quarry.workflows.run.RunInput;
import dev.quarry.workflows.run.RunSummary;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.TestWorkflowEnvironment;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Big rounds start batch children instead of one child per prompt: the same prompts, ids, seeds and
 * results, progress still counting every prompt. The batch size is lowered to 4 here.
 */
class PromptBatchWorkflowTest {
  private record Outcome(
      RunSummary summary,
      Map<String, PromptRecord> records,
      FakeActivities fakes,
      Map<String, WorkflowExecutionHistory> histories,
      RoundProgress progress) {}

  private static Outcome run(
      String id, int batchSize, int progressEvery, int prompts, String... historyIds) {
    try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance()) {
      FakeActivities fakes = new FakeActivities();
      fakes.registerOn(env, batchSize, progressEvery);
      env.start();
      RunSummary summary =
          env.getWorkflowClient()
              .newWorkflowStub(
                  GenerationRunWorkflow.class,
                  WorkflowOptions.newBuilder()
                      .setWorkflowId(id)
                      .setTaskQueue(TaskQueues.WORKFLOWS)
                      .build())
              .run(RunInput.start(GenerationRunWorkflowTest.config(1, prompts, 3)));
      Map<String, WorkflowExecutionHistory> histories = new TreeMap<>();
      for (String historyId : historyIds) {
        histories.put(historyId, env.getWorkflowClient().fetchHistory(id + historyId));
      }
      RoundProgress progress =
          env.getWorkflowClient().newWorkflowStub(RoundWorkflow.class, id + "/round-0").progress();
      return new Outcome(summary, new TreeMap<>(fakes.records), fakes, histories, progress);
    }
  }

  private static long count(WorkflowExecutionHistory history, EventType type) {
    return history.getEvents().stream().filter(e -> e.getEventType() == type).count();
  }

  private static String parentOf(WorkflowExecutionHistory history) {
    HistoryEvent started = history.getEvents().get(0);
    return started
        .getWorkflowExecutionStartedEventAttributes()
        .getParentWorkflowExecution()
        .getWorkflowId();
  }

  @Test
  void aBatchedRoundGivesTheSameResultsAsAnUnbatchedOne() {
    Outcome plain = run("same", 1_000, 25, 10, "/round-0", "/round-0/prompt-7");
    Outcome batched =
        run(
            "same",
            4,
            2,
            10,
            "/round-0",
            "/round-0/prompt-7",
            "/round-0/batch-0",
            "/round-0/batch-2");

    // The same prompts under the same workflow ids, with the same concepts and selections.
    assertEquals(plain.records().keySet(), batched.records().keySet());
    assertEquals(10, batched.records().size());
    assertEquals(
        plain.records().values().stream().map(r -> r.prompt()).toList(),
        batched.records().values().stream().map(r -> r.prompt()).toList());
    assertEquals(
        plain.records().values().stream().map(PromptRecord::selectedCandidate).toList(),
        batched.records().values().stream().map(PromptRecord::selectedCandidate).toList());
    RunSummary a = plain.summary();
    RunSummary b = batched.summary();
    assertEquals(a.rows(), b.rows());
    assertEquals(30, b.candidates());
    assertEquals(a.candidates(), b.candidates());
    assertEquals(a.invalidCandidates(), b.invalidCandidates());
    assertEquals(a.usage(), b.usage());
    assertEquals(a.rounds().get(0).invalidReasons(), b.rounds().get(0).invalidReasons());
    assertEquals(
        a.rounds().get(0).meanSelectedDelta(), b.rounds().get(0).meanSelectedDelta(), 1e-12);
    assertEquals(a.rounds().get(0).prompts(), b.rounds().get(0).prompts());
    assertEquals(1, batched.fakes().shards.size());
    assertEquals(10, batched.fakes().shards.get(0).prompts());

    // Sampling: the unbatched round samples all 10 at once; three batches sample 4, 4 and 2.
    assertEquals(1, plain.fakes().samplings.size());
    Map<Integer, Integer> ranges =
        batched.fakes().samplings.stream()
            .collect(
                Collectors.toMap(s -> s.firstIndex(), s -> s.count(), (x, y) -> x, TreeMap::new));
    assertEquals(Map.of(0, 4, 4, 4, 8, 2), ranges);
    assertEquals(plain.fakes().samplings.get(0).seed(), batched.fakes().samplings.get(0).seed());

    // The round starts three batch children and no prompt; prompt 7 is a child of batch 1.
    WorkflowExecutionHistory round = batched.histories().get("/round-0");
    assertEquals(3, count(round, EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED));
    assertEquals(
        0, count(round, EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED) - 1, "only writeShard");
    assertEquals("same/round-0/batch-1", parentOf(batched.histories().get("/round-0/prompt-7")));
    assertEquals("same/round-0", parentOf(plain.histories().get("/round-0/prompt-7")));
    assertEquals(
        10,
        count(
            plain.histories().get("/round-0"),
            EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED));
    assertEquals(
        4,
        count(
            batched.histories().get("/round-0/batch-0"),
            EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED));
    assertEquals(
        2,
        count(
            batched.histories().get("/round-0/batch-2"),
            EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED));
    // Progress signals: 2 from each batch of 4, 1 from the batch of 2 (every 2 finished prompts).
    assertEquals(5, count(round, EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED));
    assertTrue(
        round.getEvents().stream().anyMatch(e -> e.hasMarkerRecordedEventAttributes()),
        "version marker");
    assertTrue(
        plain.histories().get("/round-0").getEvents().stream()
            .noneMatch(e -> e.hasMarkerRecordedEventAttributes()),
        "a round under the batch size records no version marker: its history is unchanged");
  }

  @Test
  void theRoundsProgressCountsEveryPromptOfEveryBatch() {
    // progressEvery 3 over batches of 4: some counts come by signal, the rest with each result.
    Outcome batched = run("progress", 4, 3, 11);
    RoundProgress progress = batched.progress();
    assertEquals(11, progress.promptsTotal());
    assertEquals(11, progress.promptsStarted());
    assertEquals(11, progress.promptsDone());
    assertEquals(33, progress.candidatesDone());
    assertEquals(22, progress.validCandidates());
    assertEquals(33 * 3, progress.rolloutsDone());
    assertEquals(Map.of("no valid execution", 11), progress.invalidReasons());
    assertEquals("done", progress.stage());
    assertEquals(batched.summary().usage().total(), progress.usage().total());
    Outcome plain = run("progress", 1_000, 25, 11);
    assertEquals(plain.progress(), progress);
  }

  @Test
  void pausingABatchedRoundStopsItsBatchFromStartingPrompts() throws Exception {
    try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance()) {
      FakeActivities fakes = new FakeActivities();
      fakes.registerOn(env, 4, 2);
      // Prompt 5 (in batch 1) stays in its generator call until released.
      fakes.holdSuffix = "/prompt-5";
      fakes.hold = new CountDownLatch(1);
      env.start();
      // One prompt at a time, so the batch's next start waits for prompt 5.
      Map<String, Object> raw = new HashMap<>(GenerationRunWorkflowTest.config(1, 10, 2));
      raw.put("maxConcurrentPrompts", 1);
      RunConfig config = fakes.resolveConfig(raw);
      RoundWorkflow round =
          env.getWorkflowClient()
              .newWorkflowStub(
                  RoundWorkflow.class,
                  WorkflowOptions.newBuilder()
                      .setWorkflowId("paused/round-0")
                      .setTaskQueue(TaskQueues.WORKFLOWS)
                      .build());
      WorkflowClient.start(round::run, new RoundInput("paused", 0, config, "v0", Set.of()));
      assertTrue(fakes.held.await(30, TimeUnit.SECONDS), "prompt 5 reached its generator");
      round.pause();
      // Let the pause reach the batch (the signal in its history) before prompt 5 can finish and
      // free a slot.
      await("the pause forwarded to batch 1")
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(100))
          .until(
              () ->
                  env
                      .getWorkflowClient()
                      .fetchHistory("paused/round-0/batch-1")
                      .getEvents()
                      .stream()
                      .anyMatch(
                          e ->
                              e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED
                                  && e.getWorkflowExecutionSignaledEventAttributes()
                                      .getSignalName()
                                      .equals("pause")));
      fakes.hold.countDown();
      env.sleep(Duration.ofMinutes(10));
      // The pause reached batch 1: prompt 5 finished, prompt 6 was not started.
      assertEquals(6, fakes.generated.size(), "prompts 0-5 only: " + fakes.generated);
      assertTrue(fakes.records.containsKey("paused/round-0/prompt-5"), "prompt 5 finished");
      assertTrue(fakes.shards.isEmpty(), "the round did not finish while paused");
      assertTrue(round.progress().paused());
      round.resume();
      WorkflowStub.fromTyped(round).getResult(RoundResult.class);
      assertEquals(10, fakes.records.size());
      assertEquals(10, round.progress().promptsDone());
    }
  }

  @Test
  void aRoundAtTheBatchSizeIsNotBatched() {
    Outcome exact = run("exact", 4, 2, 4, "/round-0");
    assertEquals(
        4,
        count(
            exact.histories().get("/round-0"),
            EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED));
    assertEquals(1, exact.fakes().samplings.size());
    assertEquals(4, exact.records().size());
  }
}
