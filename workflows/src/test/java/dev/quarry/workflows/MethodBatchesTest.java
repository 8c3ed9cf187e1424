package dev.quarry.workflows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quarry.workflows.round.RoundProgress;
import dev.quarry.workflows.round.RoundResult;
import dev.quarry.workflows.round.RoundWorkflow;
import dev.quarry.workflows.run.GenerationRunWorkflow;
import dev.quarry.workflows.run.RunInput;
import dev.quarry.workflows.run.RunSummary;
import io.temporal.api.enums.v1.EventType;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.TestWorkflowEnvironment;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * ScaleQuest and SPARQ rounds over the batch size run as EvaluatePromptBatch children, as QueST's
 * do (PromptBatchWorkflowTest): the same children under the same ids, the same results and progress
 * as an unbatched round. The batch size is lowered to 4 here. And a prompt child that fails is
 * counted with its reason while the round goes on.
 */
class MethodBatchesTest {
  private record Outcome(
      RunSummary summary,
      FakeActivities fakes,
      RoundProgress progress,
      WorkflowExecutionHistory round,
      WorkflowExecutionHistory prompt7) {}

  private static Outcome run(Map<String, Object> config, int batchSize) {
    return run(config, batchSize, null);
  }

  private static Outcome run(Map<String, Object> config, int batchSize, String failSuffix) {
    try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance()) {
      FakeActivities fakes = new FakeActivities();
      fakes.failSuffix = failSuffix;
      fakes.registerOn(env, batchSize, 2);
      env.start();
      RunSummary summary =
          env.getWorkflowClient()
              .newWorkflowStub(
                  GenerationRunWorkflow.class,
                  WorkflowOptions.newBuilder()
                      .setWorkflowId("m")
                      .setTaskQueue(TaskQueues.WORKFLOWS)
                      .build())
              .run(RunInput.start(config));
      RoundProgress progress =
          env.getWorkflowClient().newWorkflowStub(RoundWorkflow.class, "m/round-0").progress();
      return new Outcome(
          summary,
          fakes,
          progress,
          env.getWorkflowClient().fetchHistory("m/round-0"),
          env.getWorkflowClient().fetchHistory("m/round-0/prompt-7"));
    }
  }

  private static long childStarts(WorkflowExecutionHistory history) {
    return history.getEvents().stream()
        .filter(
            e -> e.getEventType() == EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED)
        .count();
  }

  /** The QuarryFailedPrompts value of the round's last search-attribute upsert. */
  private static String lastFailedPromptsAttribute(WorkflowExecutionHistory history) {
    return history.getEvents().stream()
        .filter(e -> e.getEventType() == EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES)
        .map(
            e ->
                e.getUpsertWorkflowSearchAttributesEventAttributes()
                    .getSearchAttributes()
                    .getIndexedFieldsMap())
        .filter(fields -> fields.containsKey(QuarrySearchAttributes.FAILED_PROMPTS.getName()))
        .reduce((first, second) -> second)
        .map(
            fields ->
                fields
                    .get(QuarrySearchAttributes.FAILED_PROMPTS.getName())
                    .getData()
                    .toStringUtf8())
        .orElse("absent");
  }

  private static String parentOf(WorkflowExecutionHistory history) {
    return history
        .getEvents()
        .get(0)
        .getWorkflowExecutionStartedEventAttributes()
        .getParentWorkflowExecution()
        .getWorkflowId();
  }

  private static void assertSameRound(Outcome plain, Outcome batched) {
    RunSummary a = plain.summary();
    RunSummary b = batched.summary();
    assertEquals(a.rows(), b.rows());
    assertEquals(a.candidates(), b.candidates());
    assertEquals(a.invalidCandidates(), b.invalidCandidates());
    assertEquals(a.usage(), b.usage());
    RoundResult ra = a.rounds().get(0);
    RoundResult rb = b.rounds().get(0);
    assertEquals(ra.invalidReasons(), rb.invalidReasons());
    assertEquals(ra.meanSelectedDelta(), rb.meanSelectedDelta(), 1e-12);
    assertEquals(ra.prompts(), rb.prompts());
    assertEquals(plain.progress(), batched.progress());
    // The round starts 3 batches (4, 4, 2 prompts), not 10 children; prompt 7 is batch 1's.
    assertEquals(10, childStarts(plain.round()));
    assertEquals(3, childStarts(batched.round()));
    assertEquals("m/round-0", parentOf(plain.prompt7()));
    assertEquals("m/round-0/batch-1", parentOf(batched.prompt7()));
  }

  @Test
  void aBatchedScaleQuestRoundGivesTheSameResultsAsAnUnbatchedOne() {
    Outcome plain = run(ScaleQuestWorkflowTest.config(10, false), 1_000);
    Outcome batched = run(ScaleQuestWorkflowTest.config(10, false), 4);
    assertSameRound(plain, batched);
    assertEquals(
        new TreeMap<>(plain.fakes().scaleQuest.records),
        new TreeMap<>(batched.fakes().scaleQuest.records));
    assertEquals(10, batched.fakes().scaleQuest.records.size());
    assertEquals(10, batched.progress().promptsDone());
    assertEquals(10, batched.progress().promptsStarted());
  }

  @Test
  void aBatchedSparqRoundDrawsEachBatchsParentsFromTheRoundsOneDraw() {
    Outcome plain = run(SparqRoundWorkflowTest.config(1, 10), 1_000);
    Outcome batched = run(SparqRoundWorkflowTest.config(1, 10), 4);
    assertSameRound(plain, batched);
    assertEquals(
        new TreeMap<>(plain.fakes().sparq.records), new TreeMap<>(batched.fakes().sparq.records));
    assertEquals(10, batched.fakes().sparq.records.size());
    // One draw for the unbatched round; each batch asks for its range, with the round's seed.
    assertEquals(1, plain.fakes().sparq.prepared.size());
    long seed = plain.fakes().sparq.prepared.get(0).seed();
    assertEquals(
        List.of("0+4@" + seed, "4+4@" + seed, "8+2@" + seed),
        batched.fakes().sparq.prepared.stream()
            .map(p -> p.firstParent() + "+" + p.parents() + "@" + p.seed())
            .sorted()
            .toList());
    assertEquals(1, batched.fakes().sparq.archiveUpdates.size());
    assertEquals(10, batched.fakes().sparq.archiveUpdates.get(0).prompts());
  }

  @Test
  void aFailedPromptIsCountedWithItsReasonAndTheRoundGoesOn() {
    for (int batchSize : new int[] {1_000, 4}) {
      Outcome outcome = run(GenerationRunWorkflowTest.config(1, 10, 3), batchSize, "/prompt-7");
      RoundResult round = outcome.summary().rounds().get(0);
      assertEquals(
          Map.of("child failed: PlantedFault", 1),
          round.failedPrompts(),
          "batch size " + batchSize);
      assertEquals(9 * 3, round.candidates(), "the failed prompt's candidates were never made");
      assertEquals(10, outcome.progress().promptsDone());
      assertEquals(1, outcome.progress().failedPromptCount());
      assertEquals(9, outcome.fakes().records.size());
      assertTrue(outcome.fakes().shards.size() == 1, "the round went on and wrote its shard");
      assertEquals(
          "1",
          lastFailedPromptsAttribute(outcome.round()),
          "QuarryFailedPrompts at the round's end");
    }
  }
}
