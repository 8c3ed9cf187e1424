package dev.quarry.workflows.prompt;

import dev.quarry.core.adaptive.StopReason;
import dev.quarry.core.artifacts.ArtifactRef;
import dev.quarry.core.config.RolloutsConfig;
import dev.quarry.core.config.RunConfig;
import dev.quarry.core.selection.RftSelector;
import dev.quarry.core.selection.ScoredCandidate;
import dev.quarry.workflows.ActivityStubs;
import dev.quarry.workflows.Ids;
import dev.quarry.workflows.SeedMixer;
import dev.quarry.workflows.Usage;
import dev.quarry.workflows.activities.DatasetActivities;
import dev.quarry.workflows.activities.ExecuteRequest;
import dev.quarry.workflows.activities.ExecutionSummary;
import dev.quarry.workflows.activities.GenerateProblemsRequest;
import dev.quarry.workflows.activities.GeneratedProblem;
import dev.quarry.workflows.activities.GeneratedProblems;
import dev.quarry.workflows.activities.GenerationActivities;
import dev.quarry.workflows.activities.MergeWavesRequest;
import dev.quarry.workflows.activities.SandboxActivities;
import dev.quarry.workflows.activities.ScoreRequest;
import dev.quarry.workflows.activities.ScoringActivities;
import dev.quarry.workflows.activities.SolveRequest;
import dev.quarry.workflows.activities.SolveResult;
import dev.quarry.workflows.activities.TestInputsRequest;
import dev.quarry.workflows.activities.TestInputsResult;
import dev.quarry.workflows.activities.WavesSoFar;
import io.temporal.activity.ActivityOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

public class PromptWorkflowImpl implements PromptWorkflow {
  private final ScoringActivities scoring =
      Workflow.newActivityStub(ScoringActivities.class, ActivityStubs.quickBookkeeping());
  private final DatasetActivities dataset =
      Workflow.newActivityStub(DatasetActivities.class, ActivityStubs.quickBookkeeping());

  /** Solver rollouts in waves (issue 16); runs with adaptive rollouts off never ask for it. */
  static final String ADAPTIVE_ROLLOUTS_CHANGE = "adaptive-rollouts";

  private Usage usage = Usage.ZERO;

  /** Adaptive rollouts: each candidate's δ lower bound so far, and the rollouts it asked for. */
  private final Map<Integer, Double> deltaLowerBounds = new TreeMap<>();

  /** The same at confidence (rollouts.confidenceZ > 0). */
  private final Map<Integer, Double> confidentLowerBounds = new TreeMap<>();

  private final Map<Integer, Integer> rolloutsUsed = new TreeMap<>();

  /** The LLM activities with a summary the web UI shows on the call (what it is for). */
  private static GenerationActivities llm(String summary) {
    return Workflow.newActivityStub(
        GenerationActivities.class,
        ActivityOptions.newBuilder(ActivityStubs.llm()).setSummary(summary).build());
  }

  @Override
  public PromptOutcome evaluate(PromptInput input) {
    RunConfig config = input.config();
    int promptIndex = input.prompt().promptIndex();
    String key = Ids.prompt(input.runId(), input.round(), promptIndex);
    long promptSeed = SeedMixer.derive(config.seed(), input.round(), promptIndex);

    GeneratedProblems generated =
        llm("write "
                + config.candidatesPerPrompt()
                + " problems on "
                + String.join(", ", input.prompt().concepts()))
            .generateProblems(
                new GenerateProblemsRequest(
                    key,
                    input.prompt(),
                    config.seeds(),
                    config.roles().generator(),
                    input.generatorVersion(),
                    config.candidatesPerPrompt(),
                    promptSeed));
    usage = usage.plusGenerator(generated.usage());

    // Candidates are independent: evaluate them concurrently, each in its own workflow thread.
    List<Promise<CandidateSummary>> pending = new ArrayList<>();
    for (GeneratedProblem problem : generated.problems()) {
      String candidateKey =
          Ids.candidateKey(input.runId(), input.round(), promptIndex, problem.candidateIndex());
      long candidateSeed = SeedMixer.derive(promptSeed, problem.candidateIndex());
      pending.add(
          Async.function(() -> evaluateCandidate(config, candidateKey, candidateSeed, problem)));
    }
    List<CandidateSummary> candidates = new ArrayList<>();
    for (Promise<CandidateSummary> promise : pending) {
      candidates.add(promise.get());
    }

    List<ScoredCandidate> scored =
        candidates.stream()
            .filter(CandidateSummary::valid)
            .map(c -> new ScoredCandidate(c.candidateIndex(), c.score()))
            .toList();
    var hardest = RftSelector.hardest(scored);
    int selected = hardest.map(ScoredCandidate::candidateIndex).orElse(-1);

    dataset.recordPrompt(
        new PromptRecord(
            input.runId(),
            input.round(),
            input.prompt(),
            input.generatorVersion(),
            candidates,
            selected,
            usage));
    return summarise(
        promptIndex,
        candidates,
        config.rolloutsPerCandidate(),
        selected,
        hardest.map(c -> c.score().delta()).orElse(0.0));
  }

  private CandidateSummary evaluateCandidate(
      RunConfig config, String key, long seed, GeneratedProblem problem) {
    int index = problem.candidateIndex();
    if (problem.invalidReason() != null) {
      return CandidateSummary.invalid(index, problem.problem(), problem.invalidReason());
    }
    TestInputsResult tests =
        llm("candidate " + index + ": write " + config.testInputsPerCandidate() + " test inputs")
            .writeTestInputs(
                new TestInputsRequest(
                    key,
                    problem.problem(),
                    config.roles().testWriter(),
                    config.testInputsPerCandidate(),
                    SeedMixer.derive(seed, 1)));
    usage = usage.plusTestWriter(tests.usage());
    if (tests.invalidReason() != null) {
      return CandidateSummary.invalid(index, problem.problem(), tests.invalidReason());
    }
    // Only runs that sample adaptively ask for the version: every other run (and every history
    // recorded before it) keeps the one request of M below, command for command.
    if (RolloutsConfig.on(config.rollouts())
        && Workflow.getVersion(ADAPTIVE_ROLLOUTS_CHANGE, Workflow.DEFAULT_VERSION, 1) == 1) {
      return sampleInWaves(config, key, seed, problem, tests);
    }
    SolveResult rollouts =
        llm("candidate " + index + ": " + config.rolloutsPerCandidate() + " solver rollouts")
            .solve(
                new SolveRequest(
                    key,
                    problem.problem(),
                    config.roles().solver(),
                    config.rolloutsPerCandidate(),
                    SeedMixer.derive(seed, 2),
                    config.sandbox().language()));
    usage = usage.plusSolver(rollouts.usage());
    ExecutionSummary execution;
    try {
      execution =
          Workflow.newActivityStub(
                  SandboxActivities.class,
                  ActivityOptions.newBuilder(
                          ActivityStubs.sandbox(
                              config.sandbox(),
                              config.rolloutsPerCandidate(),
                              config.testInputsPerCandidate()))
                      .setSummary(
                          "candidate "
                              + index
                              + ": run "
                              + config.rolloutsPerCandidate()
                              + " rollouts on its inputs in one container")
                      .build())
              .execute(
                  new ExecuteRequest(key, rollouts.rollouts(), tests.tests(), config.sandbox()));
    } catch (ActivityFailure failure) {
      // The sandbox's bounded attempts are spent: this candidate fails with the reason, the round
      // goes on.
      return CandidateSummary.invalid(index, problem.problem(), SandboxFailures.reason(failure));
    }
    var score =
        scoring.score(
            new ScoreRequest(
                key, execution.execution(), config.sandbox().comparison(), config.validity()));
    return new CandidateSummary(
        index,
        problem.problem(),
        tests.tests(),
        rollouts.rollouts(),
        execution.execution(),
        execution.verdictCounts(),
        score,
        score.valid() ? null : score.invalidReason());
  }

  /**
   * Adaptive rollouts (docs/adaptive-rollouts.md): waves of solver rollouts, each run in the
   * sandbox, until more cannot change whether this candidate is the prompt's hardest. After each
   * wave, one bookkeeping activity merges the waves and bounds δ (the decision itself is core's
   * HardestCandidateRule); the other candidates' bounds so far come from this workflow's own state,
   * which its threads share deterministically.
   */
  private CandidateSummary sampleInWaves(
      RunConfig config, String key, long seed, GeneratedProblem problem, TestInputsResult tests) {
    int index = problem.candidateIndex();
    RolloutsConfig waves = config.rollouts();
    int budget = config.rolloutsPerCandidate();
    // Rollout r is seeded solveSeed + r: the first wave is the fixed request's own seed.
    long solveSeed = SeedMixer.derive(seed, 2);
    List<ArtifactRef> rollouts = new ArrayList<>();
    List<ArtifactRef> executions = new ArrayList<>();
    int asked = 0;
    WavesSoFar merged;
    do {
      int wave = waves.nextWave(asked, budget);
      SolveResult sampled =
          llm("candidate "
                  + index
                  + ": solver rollouts "
                  + (asked + 1)
                  + "-"
                  + (asked + wave)
                  + " of "
                  + budget)
              .solve(
                  new SolveRequest(
                      key,
                      problem.problem(),
                      config.roles().solver(),
                      wave,
                      solveSeed + asked,
                      config.sandbox().language()));
      usage = usage.plusSolver(sampled.usage());
      asked += wave;
      rolloutsUsed.put(index, asked);
      rollouts.add(sampled.rollouts());
      ArtifactRef execution = null;
      if (sampled.count() > 0) {
        try {
          execution =
              Workflow.newActivityStub(
                      SandboxActivities.class,
                      ActivityOptions.newBuilder(
                              ActivityStubs.sandbox(
                                  config.sandbox(), wave, config.testInputsPerCandidate()))
                          .setSummary(
                              "candidate "
                                  + index
                                  + ": run "
                                  + sampled.count()
                                  + " rollouts on its inputs in one container")
                          .build())
                  .execute(
                      new ExecuteRequest(key, sampled.rollouts(), tests.tests(), config.sandbox()))
                  .execution();
        } catch (ActivityFailure failure) {
          return CandidateSummary.invalid(
              index, problem.problem(), SandboxFailures.reason(failure));
        }
      }
      executions.add(execution);
      merged =
          scoring.mergeWaves(
              new MergeWavesRequest(
                  key,
                  rollouts,
                  executions,
                  asked,
                  budget,
                  hardestLowerBound(deltaLowerBounds, index),
                  waves.deltaWidth(),
                  config.sandbox().comparison(),
                  config.validity(),
                  waves.confidenceZ(),
                  hardestLowerBound(confidentLowerBounds, index)));
      if (merged.deltaLow() != null) {
        deltaLowerBounds.put(index, merged.deltaLow());
      }
      if (merged.deltaLowAtConfidence() != null) {
        confidentLowerBounds.put(index, merged.deltaLowAtConfidence());
      }
    } while (StopReason.CONTINUE.name().equals(merged.stopReason()));
    var score =
        scoring.score(
            new ScoreRequest(
                key, merged.execution(), config.sandbox().comparison(), config.validity()));
    return new CandidateSummary(
        index,
        problem.problem(),
        tests.tests(),
        merged.rollouts(),
        merged.execution(),
        merged.verdictCounts(),
        score,
        score.valid() ? null : score.invalidReason());
  }

  /**
   * The highest δ lower bound among the prompt's other candidates so far; null when none has one.
   */
  private static Double hardestLowerBound(Map<Integer, Double> lowerBounds, int candidateIndex) {
    Double best = null;
    for (Map.Entry<Integer, Double> entry : lowerBounds.entrySet()) {
      if (entry.getKey() != candidateIndex && (best == null || entry.getValue() > best)) {
        best = entry.getValue();
      }
    }
    return best;
  }

  private PromptOutcome summarise(
      int promptIndex,
      List<CandidateSummary> candidates,
      int rolloutsPerCandidate,
      int selected,
      double selectedDelta) {
    Map<String, Integer> reasons = new TreeMap<>();
    int valid = 0;
    int executions = 0;
    int rollouts = 0;
    for (CandidateSummary candidate : candidates) {
      if (candidate.valid()) {
        valid++;
      } else {
        reasons.merge(candidate.invalidReason(), 1, Integer::sum);
      }
      int ran = candidate.verdictCounts().values().stream().mapToInt(Integer::intValue).sum();
      executions += ran;
      if (candidate.rollouts() != null) {
        rollouts += rolloutsUsed.getOrDefault(candidate.candidateIndex(), rolloutsPerCandidate);
      }
    }
    return new PromptOutcome(
        promptIndex,
        candidates.size(),
        valid,
        selected,
        selectedDelta,
        rollouts,
        executions,
        reasons,
        usage);
  }
}
