package dev.quarry.workers.e2e;

import dev.quarry.activities.generation.LlmChatModel;
import dev.quarry.activities.sandbox.DockerSandboxExecutor;
import dev.quarry.activities.sandbox.SandboxSettings;
import dev.quarry.activities.store.QuarryHome;
import dev.quarry.llm.ScriptedLlmServer;
import dev.quarry.workers.worker.WorkerRuntime;
import dev.quarry.workflows.TaskQueues;
import dev.quarry.workflows.run.GenerationRunWorkflow;
import dev.quarry.workflows.run.RunInput;
import dev.quarry.workflows.run.RunSummary;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.WorkerFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The stack the scripted end-to-end tests run on: a Temporal dev server, the scripted
 * OpenAI-compatible server, and one worker for every task queue with the real Docker sandbox.
 * {@link #stop()} stops them in the reverse order.
 */
final class ScriptedStack {
  private final Path dir;
  private final TemporalDevServer temporal;
  private final ScriptedLlmServer llm;
  private final WorkflowServiceStubs service;
  private final WorkflowClient client;
  private final WorkerFactory workers;

  private ScriptedStack(
      Path dir,
      TemporalDevServer temporal,
      ScriptedLlmServer llm,
      WorkflowServiceStubs service,
      WorkerFactory workers) {
    this.dir = dir;
    this.temporal = temporal;
    this.llm = llm;
    this.service = service;
    this.client = WorkflowClient.newInstance(service);
    this.workers = workers;
  }

  /**
   * Starts the stack under {@code dir}, the scripted server as given (not yet started), with {@code
   * llmSlots} concurrent LLM activities and chat calls that time out after {@code readTimeout}.
   */
  static ScriptedStack start(
      Path dir, ScriptedLlmServer unstarted, int llmSlots, Duration readTimeout) throws Exception {
    TemporalDevServer temporal = TemporalDevServer.start(dir.resolve("temporal"));
    ScriptedLlmServer llm = unstarted.start("127.0.0.1", 0);
    WorkflowServiceStubs service =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder().setTarget(temporal.address()).build());
    QuarryHome home = new QuarryHome(dir.resolve("home"));
    WorkerFactory workers =
        WorkerRuntime.build(
            WorkflowClient.newInstance(service),
            Set.copyOf(TaskQueues.ALL),
            home,
            new WorkerRuntime.Capacity(llmSlots, 2),
            () -> new LlmChatModel(readTimeout, home.llmCache()),
            () -> DockerSandboxExecutor.create(SandboxSettings.defaults()));
    workers.start();
    return new ScriptedStack(dir, temporal, llm, service, workers);
  }

  WorkflowClient client() {
    return client;
  }

  ScriptedLlmServer llm() {
    return llm;
  }

  /** A run's workflow stub on the workflows queue. */
  GenerationRunWorkflow newRun(String id) {
    return client.newWorkflowStub(
        GenerationRunWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId(id).setTaskQueue(TaskQueues.WORKFLOWS).build());
  }

  /** Runs a config to its end. */
  RunSummary run(String id, Map<String, Object> config) {
    return newRun(id).run(RunInput.start(config));
  }

  /**
   * The fields every scripted test config starts from: method, seed, prompts, the repository's seed
   * file, and an output directory of the method's own.
   */
  Map<String, Object> config(String method, int seed, int prompts, String seedFile, String format) {
    Map<String, Object> config = new HashMap<>();
    config.put("method", method);
    config.put("seed", seed);
    config.put("promptsPerRound", prompts);
    config.put(
        "seeds",
        Map.of(
            "file",
            Path.of("..", seedFile).toAbsolutePath().normalize().toString(),
            "format",
            format));
    config.put("outputDir", dir.resolve("datasets-" + method).toString());
    return config;
  }

  /** The named roles on the scripted endpoint (plain mode). */
  Map<String, Object> roles(String... names) {
    Map<String, Object> roles = new HashMap<>();
    for (String name : names) {
      roles.put(
          name, Map.of("endpoint", llm.baseUrl() + "/v1", "model", "scripted", "maxTokens", 512));
    }
    return roles;
  }

  void stop() throws Exception {
    try {
      workers.shutdownNow();
      workers.awaitTermination(10, TimeUnit.SECONDS);
    } finally {
      service.shutdownNow();
      llm.close();
      temporal.close();
    }
  }
}
