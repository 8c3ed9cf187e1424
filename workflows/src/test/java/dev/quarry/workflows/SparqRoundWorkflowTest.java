package dev.quarry.workflows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quarry.core.sparq.Niche;
import dev.quarry.workflows.run.GenerationRunWorkflow;
import dev.quarry.workflows.run.RunInput;
import dev.quarry.workflows.run.RunSummary;
import dev.quarry.workflows.sparq.SparqProblemRecord;
import io.temporal.client.WorkflowOptions;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SparqRoundWorkflowTest extends FakeTemporalTest {
  static Map<String, Object> config(int rounds, int prompts) {
    Map<String, Object> config = new HashMap<>();
    config.put("method", "sparq");
    config.put("rounds", rounds);
    config.put("promptsPerRound", prompts);
    config.put("maxConcurrentPrompts", 2);
    config.put("seed", 5);
    config.put("seeds", Map.of("file", "seeds/math-seeds.jsonl", "format", "math"));
    config.put("sparq", Map.of("rollouts", 4));
    return config;
  }

  private RunSummary run(String id, Map<String, Object> config) {
    return env.getWorkflowClient()
        .newWorkflowStub(
            GenerationRunWorkflow.class,
            WorkflowOptions.newBuilder()
                .setWorkflowId(id)
                .setTaskQueue(TaskQueues.WORKFLOWS)
                .build())
        .run(RunInput.start(config));
  }

  @Test
  void aSparqRunScoresEveryPromptUpdatesTheArchiveAndKeepsTheBandOnly() {
    RunSummary summary = run("sparq-a", config(2, 5));

    assertEquals(2, summary.roundsCompleted());
    var round = summary.rounds().get(0);
    assertEquals(5, round.prompts());
    assertEquals(5, round.candidates(), "one problem per prompt");
    assertEquals(4, round.validCandidates());
    assertEquals(Map.of("generator gave no final answer", 1), round.invalidReasons());
    // K = 4; prompt I solved by I mod 5: SR 0, .25, (invalid), .75, 1 → quality 0, .75, -, .25, 0.
    assertEquals(2, round.shard().rows(), "only prompts 1 and 3 are inside [0.1, 0.9]");
    assertEquals(0.5, round.meanSelectedDelta(), 1e-12, "mean quality of the kept rows");
    SparqProblemRecord p1 = fakes.sparq.records.get("sparq-a/round-0/prompt-1");
    assertEquals(0.25, p1.score().solveRate(), 1e-12);
    assertEquals(0.75, p1.score().quality(), 1e-12);
    assertEquals(Niche.of("counting"), p1.niche());
    assertEquals("m001", p1.parentId());
    SparqProblemRecord p2 = fakes.sparq.records.get("sparq-a/round-0/prompt-2");
    assertEquals("generator gave no final answer", p2.invalidReason());
    assertNull(p2.score());
    assertNull(p2.rollouts(), "an invalid problem is never solved");
    // Each round: prepared once with its own seed, archive updated once, after its prompts.
    assertEquals(2, fakes.sparq.prepared.size());
    assertTrue(fakes.sparq.prepared.get(0).seed() != fakes.sparq.prepared.get(1).seed());
    assertEquals(2, fakes.sparq.archiveUpdates.size());
    assertEquals(5, fakes.sparq.archiveUpdates.get(1).prompts());
    assertEquals(1, fakes.sparq.archiveUpdates.get(1).round());
    // Usage: generator = 5 problems + 4 taggings per round, solver = 4 per round (K in one call).
    assertEquals(18, summary.usage().generator().requests());
    assertEquals(8, summary.usage().solver().requests());
    assertEquals(0, summary.usage().testWriter().requests());
    assertEquals(0, fakes.shards.size(), "the QueST shard writer is not used");
  }

  @Test
  void theQuestPathIsUnchanged() {
    RunSummary summary = run("quest-a", GenerationRunWorkflowTest.config(1, 2, 2));
    assertEquals(2, summary.rows());
    assertEquals(0, fakes.sparq.prepared.size());
  }
}
