package dev.quarry.workflows;

import dev.quarry.core.adaptive.HardestCandidateRule;
import dev.quarry.core.adaptive.Interval;
import dev.quarry.core.adaptive.StopReason;
import dev.quarry.core.artifacts.ArtifactRef;
import dev.quarry.core.config.RunConfig;
import dev.quarry.core.config.RunConfigException;
import dev.quarry.core.config.RunConfigLoader;
import dev.quarry.core.difficulty.DifficultyScore;
import dev.quarry.workflows.activities.ConceptActivities;
import dev.quarry.workflows.activities.ConceptExtractionActivities;
import dev.quarry.workflows.activities.DatasetActivities;
import dev.quarry.workflows.activities.ExecuteRequest;
import dev.quarry.workflows.activities.ExecutionSummary;
import dev.quarry.workflows.activities.ExtractConceptsRequest;
import dev.quarry.workflows.activities.ExtractConceptsResult;
import dev.quarry.workflows.activities.GenerateProblemsRequest;
import dev.quarry.workflows.activities.GeneratedProblem;
import dev.quarry.workflows.activities.GeneratedProblems;
import dev.quarry.workflows.activities.GenerationActivities;
import dev.quarry.workflows.activities.GeneratorVersion;
import dev.quarry.workflows.activities.MergeWavesRequest;
import dev.quarry.workflows.activities.PreflightActivities;
import dev.quarry.workflows.activities.PromptSpec;
import dev.quarry.workflows.activities.PythonTrainingActivities;
import dev.quarry.workflows.activities.RetrainRequest;
import dev.quarry.workflows.activities.SamplePromptsRequest;
import dev.quarry.workflows.activities.SandboxActivities;
import dev.quarry.workflows.activities.ScoreRequest;
import dev.quarry.workflows.activities.ScoringActivities;
import dev.quarry.workflows.activities.ShardRequest;
import dev.quarry.workflows.activities.ShardResult;
import dev.quarry.workflows.activities.SolveRequest;
import dev.quarry.workflows.activities.SolveResult;
import dev.quarry.workflows.activities.TestInputsRequest;
import dev.quarry.workflows.activities.TestInputsResult;
import dev.quarry.workflows.activities.TrainingActivities;
import dev.quarry.workflows.activities.VisibilityActivities;
import dev.quarry.workflows.activities.WavesSoFar;
import dev.quarry.workflows.prompt.PromptRecord;
import dev.quarry.workflows.prompt.PromptWorkflowImpl;
import dev.quarry.workflows.round.PromptBatchWorkflowImpl;
import dev.quarry.workflows.round.RoundWorkflow;
import dev.quarry.workflows.round.RoundWorkflowImpl;
import dev.quarry.workflows.run.GenerationRunWorkflowImpl;
import dev.quarry.workflows.scalequest.ScaleQuestQuestionWorkflowImpl;
import dev.quarry.workflows.sparq.SparqPromptWorkflowImpl;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;

/**
 * Deterministic stand-ins for every activity, so workflow logic is tested on its own. Candidate 1
 * of every prompt is made the hardest; candidate index K-1 ≥ 2 has no valid execution.
 */
final class FakeActivities
    implements ConceptActivities,
        ConceptExtractionActivities,
        GenerationActivities,
        SandboxActivities,
        ScoringActivities,
        DatasetActivities,
        TrainingActivities,
        VisibilityActivities {
  final Map<String, PromptRecord> records = new ConcurrentHashMap<>();
  final List<ShardRequest> shards = Collections.synchronizedList(new ArrayList<>());
  final List<ExtractConceptsRequest> extractions = Collections.synchronizedList(new ArrayList<>());

  /** Generator version id → the generator model the round's requests named. */
  final Map<String, String> generatorModels = new ConcurrentHashMap<>();

  final List<RetrainRequest> retrains = Collections.synchronizedList(new ArrayList<>());

  /** When set, retraining "fine-tunes" to this model name plus the round. */
  volatile String fineTunedModel;

  final List<SamplePromptsRequest> samplings = Collections.synchronizedList(new ArrayList<>());
  final FakeScaleQuestActivities scaleQuest = new FakeScaleQuestActivities();
  final FakeSparqActivities sparq = new FakeSparqActivities();

  static ArtifactRef ref(String text) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return new ArtifactRef(HexFormat.of().formatHex(digest), text.length());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** One worker per task queue, as in production; workflows on the workflows queue. */
  void registerOn(TestWorkflowEnvironment env) {
    registerOn(env, RoundWorkflowImpl.DEFAULT_BATCH_SIZE, RoundWorkflowImpl.DEFAULT_PROGRESS_EVERY);
  }

  /** With a round that batches above {@code batchSize} prompts. */
  void registerOn(TestWorkflowEnvironment env, int batchSize, int progressEvery) {
    // As `quarry dev up` and temporal-config/register-search-attributes.sh do on real servers.
    QuarrySearchAttributes.TYPES.forEach(
        (name, type) ->
            env.registerSearchAttribute(
                name,
                type.equals("Int")
                    ? IndexedValueType.INDEXED_VALUE_TYPE_INT
                    : IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD));
    Worker workflows = env.newWorker(TaskQueues.WORKFLOWS);
    workflows.registerWorkflowImplementationFactory(
        RoundWorkflow.class, () -> new RoundWorkflowImpl(batchSize, progressEvery));
    workflows.registerWorkflowImplementationTypes(
        GenerationRunWorkflowImpl.class,
        PromptBatchWorkflowImpl.class,
        PromptWorkflowImpl.class,
        ScaleQuestQuestionWorkflowImpl.class,
        SparqPromptWorkflowImpl.class);
    workflows.registerActivitiesImplementations(this, scaleQuest, sparq, preflight);
    env.newWorker(TaskQueues.LLM)
        .registerActivitiesImplementations(this, scaleQuest, sparq, preflight);
    env.newWorker(TaskQueues.SANDBOX).registerActivitiesImplementations(this);
    env.newWorker(TaskQueues.TRAIN).registerActivitiesImplementations(this);
    env.newWorker(PYTHON_QUEUE).registerActivitiesImplementations(pythonTrainer);
  }

  static final String PYTHON_QUEUE = "quarry-train-python";
  final FakePreflight preflight = new FakePreflight();

  /** When set, every sandbox batch fails as infrastructure (retryable); attempts per key. */
  volatile boolean sandboxDown;

  final Map<String, Integer> sandboxAttempts = new ConcurrentHashMap<>();

  /** The run's preflight: passes, or fails with {@link #endpointProblem} as a real one would. */
  static final class FakePreflight implements PreflightActivities {
    final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    volatile String endpointProblem;

    @Override
    public List<String> checkEndpoints(RunConfig config) {
      calls.add("endpoints");
      if (endpointProblem != null) {
        throw ApplicationFailure.newNonRetryableFailure(
            endpointProblem, ActivityStubs.PREFLIGHT_FAILED);
      }
      return List.of("generator: ok");
    }

    @Override
    public List<String> checkFiles(RunConfig config) {
      calls.add("files");
      return List.of("seeds.file: ok");
    }
  }

  final FakePythonTrainer pythonTrainer = new FakePythonTrainer();

  /**
   * The Python trainer worker's activity, on its own queue: a "trained" registry model per round.
   */
  static final class FakePythonTrainer implements PythonTrainingActivities {
    final List<RetrainRequest> requests = Collections.synchronizedList(new ArrayList<>());

    @Override
    public GeneratorVersion trainLora(RetrainRequest request) {
      requests.add(request);
      String id = "v" + (request.round() + 1);
      if (request.rows() == 0) {
        return new GeneratorVersion(
            id,
            request.current().id(),
            request.current().model(),
            request.rftFile(),
            "python-lora",
            request.round(),
            Map.of("skipped", "no rows"));
      }
      return new GeneratorVersion(
          id,
          request.current().id(),
          "registry/" + request.runId() + "/" + id,
          request.rftFile(),
          "python-lora",
          request.round(),
          Map.of("lossBefore", 5.0, "lossAfter", 3.0));
    }
  }

  @Override
  public ExtractConceptsResult extractConcepts(ExtractConceptsRequest request) {
    extractions.add(request);
    return new ExtractConceptsResult(
        ref("extraction/" + request.seed()), 3, 2, 1, 0, 5, 4, new TokenUsage(300, 30, 3));
  }

  @Override
  public List<PromptSpec> samplePrompts(SamplePromptsRequest request) {
    samplings.add(request);
    List<PromptSpec> prompts = new ArrayList<>();
    for (int i = request.firstIndex(); i < request.firstIndex() + request.count(); i++) {
      prompts.add(
          new PromptSpec(
              i, List.of("dp", "concept-" + (request.seed() + i) % 5), List.of("q00" + i)));
    }
    return prompts;
  }

  /** When set, generating for a prompt whose key ends with {@link #holdSuffix} waits for it. */
  volatile CountDownLatch hold;

  volatile String holdSuffix;
  final CountDownLatch held = new CountDownLatch(1);

  /** Prompt keys the generator was asked for, in order. */
  final List<String> generated = Collections.synchronizedList(new ArrayList<>());

  /**
   * When set, the generator of prompts whose key ends so fails for good (a planted local fault).
   */
  volatile String failSuffix;

  @Override
  public GeneratedProblems generateProblems(GenerateProblemsRequest request) {
    generated.add(request.key());
    if (failSuffix != null && request.key().endsWith(failSuffix)) {
      throw ApplicationFailure.newNonRetryableFailure("planted fault", "PlantedFault");
    }
    if (hold != null && holdSuffix != null && request.key().endsWith(holdSuffix)) {
      held.countDown();
      try {
        hold.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    generatorModels.put(request.generatorVersion(), request.generator().model());
    List<GeneratedProblem> problems = new ArrayList<>();
    for (int i = 0; i < request.candidates(); i++) {
      problems.add(new GeneratedProblem(i, ref(request.key() + "/problem-" + i), null));
    }
    return new GeneratedProblems(problems, new TokenUsage(100, 50 * request.candidates(), 1));
  }

  @Override
  public TestInputsResult writeTestInputs(TestInputsRequest request) {
    return new TestInputsResult(
        ref(request.problem().sha256() + "/tests"),
        request.count(),
        null,
        new TokenUsage(40, 20, 1));
  }

  /** Candidate key → the rollouts each of its solve requests asked for, in order. */
  final Map<String, List<Integer>> solveRequests = new ConcurrentHashMap<>();

  /**
   * Adaptive rollouts: candidate 1 is the hard one (δ in [0.45, 0.55]), every other candidate an
   * easy one (δ in [0, 0.3]) until its budget is spent; core's rule decides, as the real
   * activity's.
   */
  @Override
  public WavesSoFar mergeWaves(MergeWavesRequest request) {
    int candidate = Integer.parseInt(request.key().substring(request.key().lastIndexOf('-') + 1));
    int remaining = request.budget() - request.asked();
    Interval delta = candidate == 1 ? new Interval(0.45, 0.55) : new Interval(0, 0.3);
    StopReason stop =
        remaining == 0
            ? StopReason.BUDGET
            : new HardestCandidateRule(request.width())
                .decide(
                    delta,
                    remaining,
                    request.hardestLowerBound() == null
                        ? OptionalDouble.empty()
                        : OptionalDouble.of(request.hardestLowerBound()));
    return new WavesSoFar(
        ref(request.key() + "/waves-" + request.asked()),
        ref(request.key() + "/waves-" + request.asked() + "/exec"),
        Map.of("OK", 6),
        delta.lo(),
        delta.hi(),
        stop.name(),
        null);
  }

  @Override
  public SolveResult solve(SolveRequest request) {
    solveRequests
        .computeIfAbsent(request.key(), k -> Collections.synchronizedList(new ArrayList<>()))
        .add(request.rollouts());
    return new SolveResult(
        ref(request.problem().sha256() + "/rollouts"),
        request.rollouts(),
        new TokenUsage(60, 90, 1));
  }

  @Override
  public ExecutionSummary execute(ExecuteRequest request) {
    if (sandboxDown) {
      sandboxAttempts.merge(request.key(), 1, Integer::sum);
      throw ApplicationFailure.newFailure("cannot reach the Docker engine", "SandboxUnavailable");
    }
    return new ExecutionSummary(ref(request.rollouts().sha256() + "/exec"), Map.of("OK", 6));
  }

  @Override
  public DifficultyScore score(ScoreRequest request) {
    int candidate = Integer.parseInt(request.key().substring(request.key().lastIndexOf('-') + 1));
    if (candidate >= 2) {
      return DifficultyScore.invalid("no valid execution", 0, 2, 0, 6);
    }
    return new DifficultyScore(true, candidate == 1 ? 0.5 : 0.25, 2, 2, 6, 6, null);
  }

  @Override
  public RunConfig resolveConfig(Map<String, Object> config) {
    try {
      return RunConfigLoader.parse(
          DefaultDataConverter.STANDARD_INSTANCE
              .toPayload(config)
              .orElseThrow()
              .getData()
              .toStringUtf8(),
          "(test)");
    } catch (RunConfigException e) {
      throw ApplicationFailure.newNonRetryableFailure(e.getMessage(), ActivityStubs.INVALID_CONFIG);
    }
  }

  @Override
  public void recordPrompt(PromptRecord record) {
    records.put(Ids.prompt(record.runId(), record.round(), record.prompt().promptIndex()), record);
  }

  @Override
  public ShardResult writeShard(ShardRequest request) {
    shards.add(request);
    int rows = 0;
    for (int i = 0; i < request.prompts(); i++) {
      PromptRecord record = records.get(Ids.prompt(request.runId(), request.round(), i));
      if (record == null && request.failedPrompts() > 0) {
        continue; // a prompt that failed as a whole, counted by the round
      }
      if (record.selectedCandidate() >= 0) {
        rows++;
      }
    }
    String base = "/data/" + request.runId() + "/round-" + request.round();
    return new ShardResult(
        base + ".jsonl",
        base + ".candidates.jsonl",
        base + ".rft.jsonl",
        rows,
        request.prompts() * request.config().candidatesPerPrompt());
  }

  /** Which search attributes the fake namespace has: all of Quarry's unless a test says less. */
  volatile Set<String> registeredSearchAttributes = QuarrySearchAttributes.TYPES.keySet();

  @Override
  public Set<String> registeredSearchAttributes() {
    return registeredSearchAttributes;
  }

  @Override
  public GeneratorVersion retrain(RetrainRequest request) {
    retrains.add(request);
    String model =
        fineTunedModel == null ? request.current().model() : fineTunedModel + "-" + request.round();
    return new GeneratorVersion(
        "v" + (request.round() + 1),
        request.current().id(),
        model,
        request.rftFile(),
        "fake",
        request.round(),
        null);
  }
}
