package dev.quarry.workflows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quarry.core.config.TrainerBackend;
import dev.quarry.workflows.run.GenerationRunWorkflow;
import dev.quarry.workflows.run.RunInput;
import dev.quarry.workflows.run.RunState;
import dev.quarry.workflows.run.RunSummary;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GenerationRunWorkflowTest extends FakeTemporalTest {
  static Map<String, Object> config(int rounds, int prompts, int k) {
    return Map.of(
        "rounds", rounds,
        "promptsPerRound", prompts,
        "candidatesPerPrompt", k,
        "rolloutsPerCandidate", 3,
        "testInputsPerCandidate", 2,
        "maxConcurrentPrompts", 2,
        "seed", 11);
  }

  @Test
  void runsRoundsAcrossContinueAsNewAndKeepsTheHardestCandidate() {
    RunSummary summary = newRun("run-a").run(RunInput.start(config(2, 3, 3)));

    assertEquals(2, summary.roundsCompleted());
    assertFalse(summary.stoppedEarly());
    assertEquals(6, summary.rows(), "every prompt has a valid candidate");
    assertEquals(18, summary.candidates());
    assertEquals(6, summary.invalidCandidates(), "candidate 2 of each prompt is invalid");
    assertEquals(Map.of("no valid execution", 3), summary.rounds().get(0).invalidReasons());
    assertEquals(3, summary.versions().size());
    assertEquals("v2", summary.versions().get(2).id());
    assertEquals("v1", summary.versions().get(2).parent());
    assertEquals(
        "v1", summary.rounds().get(1).generatorVersion(), "round 2 uses the retrained version");
    // RFT: the hardest valid candidate (index 1, δ = 0.5) is selected for every prompt.
    fakes.records.values().forEach(r -> assertEquals(1, r.selectedCandidate()));
    assertEquals(0.5, summary.rounds().get(0).meanSelectedDelta(), 1e-12);
    assertTrue(summary.usage().total().totalTokens() > 0);
    // Per role: one generator call per prompt, K test-writer and K solver calls.
    assertEquals(6, summary.usage().generator().requests());
    assertEquals(18, summary.usage().testWriter().requests());
    assertEquals(18, summary.usage().solver().requests());
    assertEquals(null, summary.stopReason());
    assertEquals(2, fakes.shards.size());
  }

  @Test
  void aLongRunCarriesOnlyItsLastRoundsAcrossContinueAsNewWithTotalsForAll() {
    int rounds = RunState.KEPT_ROUNDS + 3;
    RunSummary summary = newRun("run-long").run(RunInput.start(config(rounds, 1, 3)));

    assertEquals(rounds, summary.roundsCompleted());
    assertEquals(rounds, summary.rows(), "one row per round (one prompt)");
    assertEquals(3 * rounds, summary.candidates());
    assertEquals(rounds, summary.invalidCandidates());
    assertEquals(RunState.KEPT_ROUNDS, summary.rounds().size());
    assertEquals(3, summary.rounds().get(0).round(), "the oldest rounds are summed, not carried");
    assertEquals(rounds - 1, summary.rounds().get(summary.rounds().size() - 1).round());
    assertEquals(RunState.KEPT_ROUNDS, summary.versions().size());
    assertEquals("v" + rounds, summary.versions().get(summary.versions().size() - 1).id());
    assertEquals(rounds, summary.usage().generator().requests(), "usage still covers every round");
    assertEquals(rounds, fakes.shards.size());
  }

  @Test
  void theNextRoundGeneratesWithTheRetrainedModel() {
    fakes.fineTunedModel = "ft:generator:quarry";
    RunSummary summary = newRun("run-ft").run(RunInput.start(config(3, 1, 3)));

    assertEquals(3, summary.roundsCompleted());
    String base = fakes.generatorModels.get("v0");
    assertEquals("ft:generator:quarry-0", fakes.generatorModels.get("v1"));
    assertEquals("ft:generator:quarry-1", fakes.generatorModels.get("v2"));
    assertTrue(!base.startsWith("ft:"), base);
    assertEquals(
        TrainerBackend.RECORD,
        fakes.retrains.get(0).trainer().backend(),
        "the trainer block reaches the activity");
  }

  @Test
  void thePythonBackendTrainsOnItsOwnQueueAndTheNextRoundServesTheRegistryModel() {
    Map<String, Object> config = new HashMap<>(config(2, 1, 3));
    config.put(
        "trainer", Map.of("backend", "python", "python", Map.of("baseModel", "/models/base.gguf")));
    RunSummary summary = newRun("run-py").run(RunInput.start(config));

    assertEquals(2, summary.roundsCompleted());
    assertTrue(fakes.retrains.isEmpty(), "RetrainGenerator on the Java train queue is not called");
    assertEquals(2, fakes.pythonTrainer.requests.size());
    assertEquals(TrainerBackend.PYTHON, fakes.pythonTrainer.requests.get(0).trainer().backend());
    assertEquals("registry/run-py/v1", fakes.generatorModels.get("v1"));
    assertEquals(5.0, summary.versions().get(1).metric("lossBefore"));
    assertEquals(3.0, summary.versions().get(1).metric("lossAfter"));
  }

  @Test
  void conceptExtractionRunsBeforeSamplingInEveryRoundWithOneSeed() {
    Map<String, Object> config = new HashMap<>(config(2, 2, 2));
    config.put("concepts", Map.of("extract", true));
    var summary = newRun("extracting").run(RunInput.start(config));
    assertEquals(2, fakes.extractions.size());
    // The extractor's tokens count once (round 0 pays; later rounds are cache hits).
    assertEquals(new TokenUsage(300, 30, 3), summary.rounds().get(0).usage().conceptExtractor());
    assertEquals(TokenUsage.ZERO, summary.rounds().get(1).usage().conceptExtractor());
    assertEquals(
        fakes.extractions.get(0).seed(),
        fakes.extractions.get(1).seed(),
        "one extraction seed per run, so later rounds are cache hits");
    assertEquals(2, fakes.samplings.size());
    for (var sampling : fakes.samplings) {
      assertEquals(
          FakeActivities.ref("extraction/" + fakes.extractions.get(0).seed()),
          sampling.extracted().extraction());
      assertEquals("extracting", sampling.extracted().runId());
    }
  }

  @Test
  void withoutExtractionTheGraphComesFromTheSeedFile() {
    newRun("given").run(RunInput.start(config(1, 2, 2)));
    assertEquals(0, fakes.extractions.size());
    assertEquals(null, fakes.samplings.get(0).extracted());
  }

  @Test
  void anInvalidConfigFailsTheRunWithTheProblem() {
    WorkflowFailedException failure =
        assertThrows(
            WorkflowFailedException.class,
            () -> newRun("run-bad").run(RunInput.start(Map.of("candidatesPerPrompt", 0))));
    ApplicationFailure cause =
        assertInstanceOf(ApplicationFailure.class, failure.getCause().getCause());
    assertEquals(ActivityStubs.INVALID_CONFIG, cause.getType());
    assertTrue(
        cause.getOriginalMessage().contains("candidatesPerPrompt"), cause.getOriginalMessage());
  }

  @Test
  void stopAfterRoundEndsTheRunEarly() {
    GenerationRunWorkflow run = newRun("run-stop");
    WorkflowClient.start(run::run, RunInput.start(config(5, 2, 2)));
    run.stopAfterRound();
    RunSummary summary = WorkflowStub.fromTyped(run).getResult(RunSummary.class);
    assertEquals(1, summary.roundsCompleted());
    assertTrue(summary.stoppedEarly());
    assertEquals("stopped on request after round 0", summary.stopReason());
    assertTrue(summary.rounds().get(0).invalidReasons().isEmpty(), "K=2: every candidate valid");
  }

  @Test
  void aSpentTokenBudgetStopsTheRunAtARoundBoundary() {
    Map<String, Object> config = new HashMap<>(config(3, 2, 2));
    config.put("budget", Map.of("maxTokens", 500));
    RunSummary summary = newRun("run-budget").run(RunInput.start(config));
    assertEquals(1, summary.roundsCompleted(), "the round in flight finishes");
    assertTrue(summary.stopReason().startsWith("token budget reached"), summary.stopReason());
  }

  @Test
  void aPausedRunWaitsUntilResumed() {
    GenerationRunWorkflow run = newRun("run-pause");
    WorkflowClient.start(run::run, RunInput.start(config(1, 2, 2)));
    run.pause();
    env.sleep(Duration.ofMinutes(5));
    assertTrue(run.progress().paused());
    assertTrue(fakes.shards.isEmpty(), "no round finished while paused");
    run.resume();
    RunSummary summary = WorkflowStub.fromTyped(run).getResult(RunSummary.class);
    assertEquals(1, summary.roundsCompleted());
  }
}
