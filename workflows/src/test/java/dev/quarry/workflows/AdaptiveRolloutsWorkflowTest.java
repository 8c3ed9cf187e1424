package dev.quarry.workflows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quarry.workflows.run.RunInput;
import dev.quarry.workflows.run.RunSummary;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * QueST's solver rollouts in waves, with the fake's δ bounds (easy candidate 0, hard candidate 1).
 */
class AdaptiveRolloutsWorkflowTest extends FakeTemporalTest {
  static Map<String, Object> config(boolean adaptive) {
    Map<String, Object> config = new HashMap<>(GenerationRunWorkflowTest.config(1, 2, 2));
    config.put("rolloutsPerCandidate", 8);
    config.put("rollouts", Map.of("adaptive", adaptive, "firstWave", 2, "waveSize", 2));
    return config;
  }

  @Test
  void theEasyCandidateStopsOnceItCannotBeTheHardestAndTheHardOneSpendsItsBudget() {
    RunSummary summary = newRun("adaptive-a").run(RunInput.start(config(true)));

    assertEquals(2, summary.rows(), "each prompt keeps its hard candidate");
    for (int prompt = 0; prompt < 2; prompt++) {
      String base = key(prompt, 1);
      List<Integer> hard = fakes.solveRequests.get(base);
      List<Integer> easy = fakes.solveRequests.get(key(prompt, 0));
      assertEquals(
          List.of(2, 2, 2, 2),
          hard,
          "the hardest candidate's δ is never settled below another's: " + base);
      int easyTotal = easy.stream().mapToInt(Integer::intValue).sum();
      assertTrue(easyTotal < 8, "the easy candidate stops before the budget: " + easy);
      assertTrue(easy.stream().allMatch(n -> n == 2), "in waves of 2: " + easy);
      int p = prompt;
      var record =
          fakes.records.values().stream()
              .filter(r -> r.prompt().promptIndex() == p)
              .findFirst()
              .orElseThrow();
      assertEquals(1, record.selectedCandidate());
    }
  }

  @Test
  void offAsksForTheWholeBudgetInOneRequest() {
    newRun("adaptive-off").run(RunInput.start(config(false)));
    fakes.solveRequests.values().forEach(requests -> assertEquals(List.of(8), requests));
    assertEquals(4, fakes.solveRequests.size());
  }

  private String key(int prompt, int candidate) {
    return Ids.candidateKey("adaptive-a", 0, prompt, candidate);
  }
}
