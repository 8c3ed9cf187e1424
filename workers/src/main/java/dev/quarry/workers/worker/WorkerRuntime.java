package dev.quarry.workers.worker;

import dev.quarry.activities.concepts.ConceptActivitiesImpl;
import dev.quarry.activities.concepts.ConceptExtractionActivitiesImpl;
import dev.quarry.activities.concepts.SeedRepository;
import dev.quarry.activities.dataset.BenchmarkTexts;
import dev.quarry.activities.dataset.DatasetActivitiesImpl;
import dev.quarry.activities.generation.ChatModel;
import dev.quarry.activities.generation.GenerationActivitiesImpl;
import dev.quarry.activities.metrics.QuarryMeters;
import dev.quarry.activities.preflight.PreflightActivitiesImpl;
import dev.quarry.activities.sandbox.SandboxActivitiesImpl;
import dev.quarry.activities.scalequest.ScaleQuestActivitiesImpl;
import dev.quarry.activities.scalequest.ScaleQuestDatasetActivitiesImpl;
import dev.quarry.activities.scoring.ScoringActivitiesImpl;
import dev.quarry.activities.sparq.SparqActivitiesImpl;
import dev.quarry.activities.sparq.SparqLlmActivitiesImpl;
import dev.quarry.activities.store.DatasetFiles;
import dev.quarry.activities.store.FileArtifactStore;
import dev.quarry.activities.store.QuarryHome;
import dev.quarry.activities.store.RecordStore;
import dev.quarry.activities.training.TrainingActivitiesImpl;
import dev.quarry.activities.visibility.VisibilityActivitiesImpl;
import dev.quarry.core.sandbox.SandboxExecutor;
import dev.quarry.workflows.TaskQueues;
import dev.quarry.workflows.prompt.PromptWorkflowImpl;
import dev.quarry.workflows.round.PromptBatchWorkflowImpl;
import dev.quarry.workflows.round.RoundWorkflowImpl;
import dev.quarry.workflows.run.GenerationRunWorkflowImpl;
import dev.quarry.workflows.scalequest.ScaleQuestQuestionWorkflowImpl;
import dev.quarry.workflows.sparq.SparqPromptWorkflowImpl;
import io.temporal.client.WorkflowClient;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerOptions;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Wires activity implementations to their task queues. Each queue is sized by the resource it
 * guards: LLM slots, sandbox slots (containers at once), one training job at a time.
 */
public final class WorkerRuntime {
  private WorkerRuntime() {}

  /**
   * Queue sizes for one worker process.
   *
   * @param llmRequestsPerSecond a rate limit on LLM activities across ALL workers of the llm queue,
   *     enforced by the Temporal server (a hosted API's rate limit is per account, not per worker);
   *     0 for none
   */
  public record Capacity(int llmSlots, int sandboxSlots, double llmRequestsPerSecond) {
    public Capacity(int llmSlots, int sandboxSlots) {
      this(llmSlots, sandboxSlots, 0);
    }
  }

  /**
   * Where the activities keep artifacts, records and datasets: under QUARRY_HOME, or in a store
   * that workers on different hosts share (StoreSettings: S3).
   */
  public record Stores(FileArtifactStore artifacts, RecordStore records, DatasetFiles datasets) {
    public static Stores local(QuarryHome home) {
      return new Stores(
          new FileArtifactStore(home.artifacts()),
          new RecordStore(home.records()),
          DatasetFiles.local());
    }
  }

  public static WorkerFactory build(
      WorkflowClient client,
      Set<String> queues,
      QuarryHome home,
      Capacity capacity,
      Supplier<ChatModel> chatModel,
      Supplier<SandboxExecutor> sandbox) {
    return build(client, queues, home, Stores.local(home), capacity, chatModel, sandbox);
  }

  public static WorkerFactory build(
      WorkflowClient client,
      Set<String> queues,
      QuarryHome home,
      Stores stores,
      Capacity capacity,
      Supplier<ChatModel> chatModel,
      Supplier<SandboxExecutor> sandbox) {
    WorkerFactory factory = WorkerFactory.newInstance(client);
    FileArtifactStore store = stores.artifacts();
    DatasetFiles datasets = stores.datasets();
    SeedRepository seeds = new SeedRepository();
    if (queues.contains(TaskQueues.WORKFLOWS)) {
      Worker worker = factory.newWorker(TaskQueues.WORKFLOWS);
      worker.registerWorkflowImplementationTypes(
          GenerationRunWorkflowImpl.class,
          RoundWorkflowImpl.class,
          PromptBatchWorkflowImpl.class,
          PromptWorkflowImpl.class,
          ScaleQuestQuestionWorkflowImpl.class,
          SparqPromptWorkflowImpl.class);
      RecordStore records = stores.records();
      BenchmarkTexts benchmarks =
          new BenchmarkTexts(); // one index cache for the three shard writers
      worker.registerActivitiesImplementations(
          new ConceptActivitiesImpl(seeds, store, datasets),
          new ScoringActivitiesImpl(store),
          new DatasetActivitiesImpl(records, store, benchmarks, datasets),
          new ScaleQuestDatasetActivitiesImpl(records, store, benchmarks, datasets),
          new SparqActivitiesImpl(records, store, seeds, benchmarks, datasets),
          new VisibilityActivitiesImpl(client),
          new PreflightActivitiesImpl());
    }
    if (queues.contains(TaskQueues.LLM)) {
      WorkerOptions.Builder llm =
          WorkerOptions.newBuilder().setMaxConcurrentActivityExecutionSize(capacity.llmSlots());
      if (capacity.llmRequestsPerSecond() > 0) {
        llm.setMaxTaskQueueActivitiesPerSecond(capacity.llmRequestsPerSecond());
      }
      ChatModel model = chatModel.get();
      factory
          .newWorker(TaskQueues.LLM, llm.build())
          .registerActivitiesImplementations(
              new GenerationActivitiesImpl(model, store, seeds),
              new ConceptExtractionActivitiesImpl(model, store, seeds),
              new ScaleQuestActivitiesImpl(model, store),
              new SparqLlmActivitiesImpl(model, store),
              new PreflightActivitiesImpl());
    }
    if (queues.contains(TaskQueues.SANDBOX)) {
      QuarryMeters.sandboxSlots(capacity.sandboxSlots());
      factory
          .newWorker(TaskQueues.SANDBOX, activitySlots(capacity.sandboxSlots()))
          .registerActivitiesImplementations(new SandboxActivitiesImpl(sandbox.get(), store));
    }
    if (queues.contains(TaskQueues.TRAIN)) {
      factory
          .newWorker(TaskQueues.TRAIN, activitySlots(1))
          .registerActivitiesImplementations(
              new TrainingActivitiesImpl(
                  home.models().resolve("registry"), System::getenv, datasets));
    }
    return factory;
  }

  private static WorkerOptions activitySlots(int slots) {
    return WorkerOptions.newBuilder().setMaxConcurrentActivityExecutionSize(slots).build();
  }
}
