package dev.quarry.activities.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quarry.core.sandbox.BatchResult;
import dev.quarry.core.sandbox.ExecutionBatch;
import dev.quarry.core.sandbox.ExecutionLimits;
import dev.quarry.core.sandbox.ExecutionOutcome;
import dev.quarry.core.sandbox.Language;
import dev.quarry.core.sandbox.Verdict;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The culprit search on its own, with scripted containers: no engine can produce a disruption on
 * demand any more (programs cannot reach the runner), so the rule is tested here and the attacks
 * that used to disrupt are tested on the engine in DockerSandboxIsolationTest.
 */
class CulpritFinderTest {
  private static final ExecutionBatch BATCH =
      new ExecutionBatch(
          Language.PYTHON,
          List.of("good-a", "bad", "good-b"),
          List.of("1", "2", "3", "4"),
          ExecutionLimits.DEFAULT);

  /** A container that runs each program as its text says: "bad" disrupts its container. */
  private static final class ScriptedContainers implements CulpritFinder.ContainerRun {
    final List<ExecutionBatch> runs = new ArrayList<>();
    final boolean badOnlyWithNeighbours;

    ScriptedContainers(boolean badOnlyWithNeighbours) {
      this.badOnlyWithNeighbours = badOnlyWithNeighbours;
    }

    @Override
    public BatchResult run(ExecutionBatch batch) throws BatchDisruptedException {
      runs.add(batch);
      boolean alone = batch.programs().size() == 1;
      if (batch.programs().contains("bad") && !(alone && badOnlyWithNeighbours)) {
        throw new BatchDisruptedException("runner ended without its done line");
      }
      List<ExecutionOutcome> outcomes = new ArrayList<>();
      for (int p = 0; p < batch.programs().size(); p++) {
        for (int i = 0; i < batch.inputs().size(); i++) {
          outcomes.add(new ExecutionOutcome(p, i, Verdict.OK, batch.inputs().get(i), "", 0, 0.01));
        }
      }
      return new BatchResult(outcomes);
    }
  }

  @Test
  void theProgramThatDisruptsAloneGetsAViolationAndTheOthersTheirVerdicts() throws Exception {
    ScriptedContainers containers = new ScriptedContainers(false);
    BatchResult result = CulpritFinder.rerunPerProgram(BATCH, containers);

    assertEquals(3, containers.runs.size(), "one container per program, no more");
    assertEquals(BATCH.size(), result.outcomes().size());
    for (int input = 0; input < 4; input++) {
      ExecutionOutcome bad = result.find(1, input).orElseThrow();
      assertEquals(Verdict.SANDBOX_VIOLATION, bad.verdict());
      assertTrue(bad.verdict().isSolutionVerdict(), "a violation is the program's own failure");
      assertTrue(bad.stderrTail().contains("disrupted its runner"), bad.stderrTail());
      assertEquals(Verdict.OK, result.find(0, input).orElseThrow().verdict());
      assertEquals(String.valueOf(input + 1), result.find(2, input).orElseThrow().stdout());
    }
  }

  @Test
  void aProgramThatBehavesWhenAloneStillCostsOneContainerPerProgramAtMost() throws Exception {
    ScriptedContainers containers = new ScriptedContainers(true);
    BatchResult result = CulpritFinder.rerunPerProgram(BATCH, containers);

    assertEquals(3, containers.runs.size(), "bounded by the programs, not the executions");
    containers.runs.forEach(
        run -> assertEquals(4, run.inputs().size(), "each program keeps its batch"));
    assertEquals(BATCH.size(), result.outcomes().size());
  }
}
