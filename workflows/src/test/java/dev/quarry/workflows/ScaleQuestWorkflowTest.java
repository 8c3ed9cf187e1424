package dev.quarry.workflows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quarry.core.scalequest.QpoDirection;
import dev.quarry.workflows.run.GenerationRunWorkflow;
import dev.quarry.workflows.run.RunInput;
import dev.quarry.workflows.run.RunSummary;
import dev.quarry.workflows.scalequest.FilterOutcome;
import dev.quarry.workflows.scalequest.QuestionRecord;
import io.temporal.client.WorkflowOptions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The ScaleQuest round and per-question workflow, on scripted stages (see
 * FakeScaleQuestActivities).
 */
class ScaleQuestWorkflowTest extends FakeTemporalTest {
  static Map<String, Object> config(int prompts, boolean runAllFilters) {
    Map<String, Object> config = new HashMap<>();
    config.put("method", "scalequest");
    config.put("seed", 5);
    config.put("promptsPerRound", prompts);
    config.put("maxConcurrentPrompts", 2);
    // No seeds block at all: ScaleQuest generates from scratch.
    config.put("seeds", Map.of("file", ""));
    config.put(
        "scalequest",
        Map.of(
            "solverSamples",
            4,
            "responseSamples",
            3,
            "qpoDifficultyShare",
            0.5,
            "runAllFilters",
            runAllFilters));
    return config;
  }

  private RunSummary run(String id, Map<String, Object> config) {
    GenerationRunWorkflow run =
        env.getWorkflowClient()
            .newWorkflowStub(
                GenerationRunWorkflow.class,
                WorkflowOptions.newBuilder()
                    .setWorkflowId(id)
                    .setTaskQueue(TaskQueues.WORKFLOWS)
                    .build());
    return run.run(RunInput.start(config));
  }

  private static List<Boolean> passed(QuestionRecord r) {
    List<Boolean> passed = new ArrayList<>();
    for (FilterOutcome f : r.filters()) {
      passed.add(f.passed());
    }
    return passed;
  }

  @Test
  void eachFilterRejectsItsQuestionAndStopsThePipelineThere() {
    RunSummary summary = run("sq-run", config(6, false));

    assertEquals(1, summary.roundsCompleted());
    assertEquals(6, summary.candidates());
    assertEquals(1, summary.rows(), "only prompt 0 passes every filter");
    var round = summary.rounds().get(0);
    assertEquals(
        Map.of(
            "language: not English", 1,
            "solvability: unsolvable", 1,
            "difficulty: fail rate outside [0.25, 1.00]", 1,
            "answerPresent: best response states no final answer", 1,
            "generator wrote an empty question", 1),
        round.invalidReasons());
    assertEquals(0.5, round.meanSelectedDelta(), 1e-12, "the kept question's fail rate");
    assertTrue(fakes.shards.isEmpty(), "the QueST shard writer is not used");

    Map<String, QuestionRecord> records = fakes.scaleQuest.records;
    assertEquals(6, records.size());
    QuestionRecord kept = records.get("sq-run/round-0/prompt-0");
    assertTrue(kept.kept());
    assertNull(kept.rejectedBy());
    assertEquals(
        List.of("language", "solvability", "difficulty", "answerPresent"),
        kept.filters().stream().map(FilterOutcome::filter).toList());
    assertEquals(List.of(true, true, true, true), passed(kept));
    assertEquals(
        "failRate=0.500: 2 of 4 samples agree with the majority answer 7 (4 answered)",
        kept.filters().get(2).detail());
    assertEquals(9.0, kept.responses().bestScore());
    // Every row names all four filters; those after the rejecting one did not run (null).
    assertEquals(
        Arrays.asList(false, null, null, null), passed(records.get("sq-run/round-0/prompt-1")));
    assertEquals(
        Arrays.asList(true, false, null, null), passed(records.get("sq-run/round-0/prompt-2")));
    assertEquals(
        Arrays.asList(true, true, false, null), passed(records.get("sq-run/round-0/prompt-3")));
    assertEquals(
        Arrays.asList(true, true, true, false), passed(records.get("sq-run/round-0/prompt-4")));
    assertEquals(
        Arrays.asList(null, null, null, null), passed(records.get("sq-run/round-0/prompt-5")));

    // Stages ran only where no earlier filter rejected: judge 0,2,3,4; fail rate 0,3,4; responses
    // 0,4.
    assertEquals(6, fakes.scaleQuest.calls("generate"));
    assertEquals(4, fakes.scaleQuest.calls("judge"));
    assertEquals(3, fakes.scaleQuest.calls("difficulty"));
    assertEquals(2, fakes.scaleQuest.calls("responses"));
    assertEquals(
        4, fakes.scaleQuest.calls("rewrite"), "every English question is rewritten for QPO");
    assertEquals(6, summary.usage().generator().requests());
    assertEquals(4, summary.usage().judge().requests());
    assertEquals(5, summary.usage().solver().requests(), "3 fail-rate calls + 2 response calls");
    assertEquals(
        6, summary.usage().rewardModel().requests(), "3 responses scored for each of 2 questions");
    assertEquals(4, summary.usage().rewriter().requests());
    assertEquals(0, summary.usage().testWriter().requests());

    // The QPO direction is seeded per question.
    for (int i : new int[] {0, 2, 3, 4}) {
      long questionSeed = SeedMixer.derive(5, 0, i);
      QpoDirection expected = QpoDirection.choose(SeedMixer.derive(questionSeed, 5), 0.5);
      assertEquals(expected, records.get("sq-run/round-0/prompt-" + i).rewrite().direction());
    }
    assertNull(
        records.get("sq-run/round-0/prompt-1").rewrite(), "no rewrite of a non-English question");
  }

  @Test
  void runAllFiltersRecordsEveryFilterOnEveryQuestion() {
    RunSummary summary = run("sq-all", config(5, true));

    assertEquals(1, summary.rows());
    Map<String, QuestionRecord> records = fakes.scaleQuest.records;
    assertEquals(
        Arrays.asList(false, true, true, true), passed(records.get("sq-all/round-0/prompt-1")));
    assertEquals(
        Arrays.asList(true, false, true, true), passed(records.get("sq-all/round-0/prompt-2")));
    assertEquals(
        Arrays.asList(true, true, false, true), passed(records.get("sq-all/round-0/prompt-3")));
    // The first failing filter is the reason, even though later ones ran.
    assertEquals("language: not English", records.get("sq-all/round-0/prompt-1").rejectedBy());
    assertEquals(5, fakes.scaleQuest.calls("judge"));
    assertEquals(5, fakes.scaleQuest.calls("difficulty"));
    assertEquals(5, fakes.scaleQuest.calls("responses"));
    assertEquals(5, fakes.scaleQuest.calls("rewrite"));
    assertFalse(records.get("sq-all/round-0/prompt-4").kept());
  }
}
