package dev.quarry.workers.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.quarry.activities.generation.LlmChatModel;
import dev.quarry.activities.sandbox.DockerSandboxExecutor;
import dev.quarry.activities.sandbox.SandboxSettings;
import dev.quarry.activities.store.QuarryHome;
import dev.quarry.llm.ScriptedLlmServer;
import dev.quarry.workers.worker.WorkerReady;
import dev.quarry.workers.worker.WorkerRuntime;
import dev.quarry.workflows.TaskQueues;
import dev.quarry.workflows.run.GenerationRunWorkflow;
import dev.quarry.workflows.run.RunInput;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryRequest;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryResponse;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.WorkerFactory;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Run safety on the real parts (Temporal dev server, Docker, HTTP endpoints): a planted API key
 * reaches the endpoint but no history and no log; a run cancelled mid-sandbox-batch and one
 * cancelled mid-training leave no container running and no request in flight.
 */
class RunSafetyEndToEndTest {
  /**
   * Worst case for cancellation to reach the work: one SDK heartbeat interval (0.8 × 30 s) + slack.
   */
  private static final Duration CLEANUP_BOUND = Duration.ofSeconds(45);

  @TempDir Path temp;
  private final String unique = UUID.randomUUID().toString().substring(0, 8);

  // ------------------------------------------------------------------ the planted key

  @Test
  @Timeout(value = 8, unit = TimeUnit.MINUTES)
  void aPlantedApiKeyReachesTheEndpointButNoHistoryAndNoLog() throws Exception {
    String planted = "sk-planted-" + UUID.randomUUID();
    String variable = "QUARRY_TEST_PLANTED_KEY";
    Path workerLog = temp.resolve("worker.log");
    try (TemporalDevServer temporal = TemporalDevServer.start(temp.resolve("temporal"));
        ScriptedLlmServer llm = new ScriptedLlmServer().start("127.0.0.1", 0);
        RecordingLlmProxy proxy = new RecordingLlmProxy(llm.baseUrl())) {
      // The worker is its own process, with the key in its environment only.
      ProcessBuilder builder =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-XX:+UseSerialGC",
                  "-XX:TieredStopAtLevel=1",
                  "-cp",
                  System.getProperty("java.class.path"),
                  "dev.quarry.workers.QuarryCli",
                  "worker")
              .redirectErrorStream(true)
              .redirectOutput(workerLog.toFile());
      builder.environment().put(variable, planted);
      builder.environment().put("QUARRY_TEMPORAL_ADDRESS", temporal.address());
      builder.environment().put("QUARRY_HOME", temp.resolve("home").toString());
      builder.environment().put("QUARRY_METRICS_PORT", "0");
      Process worker = builder.start();
      try {
        awaitLogLine(workerLog, WorkerReady.MARKER, Duration.ofMinutes(2), worker);
        WorkflowServiceStubs service = service(temporal);
        WorkflowClient client = WorkflowClient.newInstance(service);
        Map<String, Object> config =
            questConfig(proxy.endpoint(), "scripted", "scripted", variable);
        var summary = newRun(client, "planted-key").run(RunInput.start(config));
        assertEquals(1, summary.roundsCompleted());

        // The key did its job: every request to the endpoint carried it (so a scan that finds
        // nothing below is not a scan of a run that never had the key).
        assertFalse(proxy.authorizations.isEmpty());
        assertTrue(
            proxy.authorizations.stream().allMatch(("Bearer " + planted)::equals),
            proxy.authorizations.toString());
        assertTrue(
            proxy.paths.contains("/v1/models"), "the preflight listed the models: " + proxy.paths);

        // Every workflow of the run (run, round, prompts), every event, raw payload bytes.
        List<String> ids = new ArrayList<>();
        client
            .listExecutions("")
            .forEach(
                e -> ids.add(e.getExecution().getWorkflowId() + " " + e.getExecution().getRunId()));
        assertTrue(ids.size() >= 3, "run, round and prompts: " + ids);
        int scanned = 0;
        boolean sawVariableName = false;
        for (String id : ids) {
          String[] parts = id.split(" ");
          byte[] history = historyBytes(service, parts[0], parts[1]);
          scanned += history.length;
          String text = new String(history, StandardCharsets.ISO_8859_1);
          assertFalse(text.contains(planted), "the key is in the history of " + id);
          sawVariableName |= text.contains(variable);
        }
        assertTrue(
            sawVariableName,
            "the scan reads payloads: the variable's NAME is in the config it carries");
        String log = Files.readString(workerLog);
        assertTrue(log.contains(WorkerReady.MARKER), "the worker's log was captured");
        assertFalse(log.contains(planted), "the key is in the worker's log");
        String serverLog = Files.readString(temp.resolve("temporal").resolve("temporal.log"));
        assertFalse(serverLog.contains(planted), "the key is in the Temporal server's log");
        System.out.println(
            "planted key: "
                + proxy.authorizations.size()
                + " requests carried it; "
                + ids.size()
                + " workflow histories ("
                + scanned
                + " bytes) and "
                + log.length()
                + " bytes of worker log hold it nowhere");
        service.shutdownNow();
      } finally {
        worker.destroy();
        if (!worker.waitFor(20, TimeUnit.SECONDS)) {
          worker.destroyForcibly();
        }
      }
    }
  }

  private static byte[] historyBytes(
      WorkflowServiceStubs service, String workflowId, String runId) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteString page = ByteString.EMPTY;
    do {
      GetWorkflowExecutionHistoryResponse response =
          service
              .blockingStub()
              .getWorkflowExecutionHistory(
                  GetWorkflowExecutionHistoryRequest.newBuilder()
                      .setNamespace("default")
                      .setExecution(
                          WorkflowExecution.newBuilder().setWorkflowId(workflowId).setRunId(runId))
                      .setNextPageToken(page)
                      .build());
      out.writeBytes(response.getHistory().toByteArray());
      page = response.getNextPageToken();
    } while (!page.isEmpty());
    return out.toByteArray();
  }

  // ------------------------------------------------------------------ cancellation

  @Test
  @Timeout(value = 8, unit = TimeUnit.MINUTES)
  void aRunCancelledMidSandboxBatchLeavesNoContainerAndNoRequest() throws Exception {
    String image = "quarry-sandbox-python:runsafety-" + unique;
    buildSandboxImage(image);
    try (TemporalDevServer temporal = TemporalDevServer.start(temp.resolve("temporal"));
        ScriptedLlmServer llm = new ScriptedLlmServer().start("127.0.0.1", 0);
        RecordingLlmProxy proxy = new RecordingLlmProxy(llm.baseUrl())) {
      WorkflowServiceStubs service = service(temporal);
      WorkflowClient client = WorkflowClient.newInstance(service);
      WorkerFactory workers = workers(client, SandboxSettings.defaults().withImage(image));
      try {
        Map<String, Object> config =
            questConfig(proxy.endpoint(), "scripted", RecordingLlmProxy.SLEEPER, null);
        // Programs sleep 110 s; a wall limit of 100 s keeps the batch running for minutes.
        config.put("sandbox", Map.of("wallSeconds", 100));
        GenerationRunWorkflow run = newRun(client, "cancel-sandbox");
        WorkflowClient.start(run::run, RunInput.start(config));

        awaitContainers(image, true, Duration.ofMinutes(4));
        long cancelled = System.nanoTime();
        WorkflowStub.fromTyped(run).cancel();
        long gone = awaitContainers(image, false, CLEANUP_BOUND);
        long millis = TimeUnit.NANOSECONDS.toMillis(gone - cancelled);

        assertEquals(List.of(), containers(image), "no sandbox container is left");
        assertEquals(0, proxy.inFlight.get(), "no request is in flight at the endpoint");
        awaitStatus(
            service, "cancel-sandbox", WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_CANCELED);
        System.out.println(
            "sandbox batch: containers gone " + millis + " ms after the cancellation");
      } finally {
        workers.shutdownNow();
        workers.awaitTermination(10, TimeUnit.SECONDS);
        service.shutdownNow();
        removeContainersAndImage(image);
      }
    }
  }

  @Test
  @Timeout(value = 8, unit = TimeUnit.MINUTES)
  void aRunCancelledMidTrainingLeavesNoTrainerContainer() throws Exception {
    String image = "quarry-runsafety-trainer:" + unique;
    // A trainer image of this test's own (python3 from the sandbox image, no runner entrypoint).
    Path context = Files.createDirectories(temp.resolve("trainer-image"));
    Files.writeString(
        context.resolve("Dockerfile"), "FROM quarry-sandbox-python:latest\nENTRYPOINT []\n");
    docker("build", "-q", "-t", image, context.toString());
    try (TemporalDevServer temporal = TemporalDevServer.start(temp.resolve("temporal"));
        ScriptedLlmServer llm = new ScriptedLlmServer().start("127.0.0.1", 0);
        RecordingLlmProxy proxy = new RecordingLlmProxy(llm.baseUrl())) {
      WorkflowServiceStubs service = service(temporal);
      WorkflowClient client = WorkflowClient.newInstance(service);
      WorkerFactory workers = workers(client, SandboxSettings.defaults());
      try {
        Map<String, Object> config = questConfig(proxy.endpoint(), "scripted", "scripted", null);
        // A trainer that prints once, then trains quietly for ten minutes.
        config.put(
            "trainer",
            Map.of(
                "backend",
                "container",
                "container",
                Map.of(
                    "image",
                    image,
                    "command",
                    List.of(
                        "python3",
                        "-c",
                        "import time\nprint('epoch 1', flush=True)\ntime.sleep(600)"))));
        GenerationRunWorkflow run = newRun(client, "cancel-training");
        WorkflowClient.start(run::run, RunInput.start(config));

        awaitContainers(image, true, Duration.ofMinutes(5));
        // Quiet for longer than the heartbeat timeout (30 s): the timer's heartbeats keep the one
        // attempt alive; it is not timed out and started again.
        Thread.sleep(40_000);
        assertEquals(
            1, containers(image).size(), "one trainer, never a second: " + containers(image));
        long cancelled = System.nanoTime();
        WorkflowStub.fromTyped(run).cancel();
        long gone = awaitContainers(image, false, CLEANUP_BOUND);
        long millis = TimeUnit.NANOSECONDS.toMillis(gone - cancelled);

        assertEquals(List.of(), containers(image), "no trainer container is left");
        assertEquals(0, proxy.inFlight.get(), "no request is in flight at the endpoint");
        awaitStatus(
            service, "cancel-training", WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_CANCELED);
        System.out.println(
            "training: trainer container gone " + millis + " ms after the cancellation");
      } finally {
        workers.shutdownNow();
        workers.awaitTermination(10, TimeUnit.SECONDS);
        service.shutdownNow();
        removeContainersAndImage(image);
      }
    }
  }

  // ------------------------------------------------------------------ helpers

  private Map<String, Object> questConfig(
      String endpoint, String model, String solverModel, String keyEnv) {
    Path seeds = Path.of("..", "seeds", "quarry-seeds.jsonl").toAbsolutePath().normalize();
    Map<String, Object> config = new HashMap<>();
    config.put("method", "quest");
    config.put("seed", 11);
    config.put("promptsPerRound", 1);
    config.put("candidatesPerPrompt", 1);
    config.put("rolloutsPerCandidate", 2);
    config.put("testInputsPerCandidate", 2);
    config.put("seeds", Map.of("file", seeds.toString(), "format", "quarry"));
    config.put("outputDir", temp.resolve("datasets").toString());
    Map<String, Object> roles = new HashMap<>();
    roles.put("generator", role(endpoint, model, keyEnv));
    roles.put("testWriter", role(endpoint, model, keyEnv));
    roles.put("solver", role(endpoint, solverModel, keyEnv));
    config.put("roles", roles);
    return config;
  }

  private static Map<String, Object> role(String endpoint, String model, String keyEnv) {
    Map<String, Object> role =
        new HashMap<>(Map.of("endpoint", endpoint, "model", model, "maxTokens", 512));
    if (keyEnv != null) {
      role.put("apiKeyEnv", keyEnv);
    }
    return role;
  }

  private static WorkflowServiceStubs service(TemporalDevServer temporal) {
    return WorkflowServiceStubs.newServiceStubs(
        WorkflowServiceStubsOptions.newBuilder().setTarget(temporal.address()).build());
  }

  private static GenerationRunWorkflow newRun(WorkflowClient client, String id) {
    return client.newWorkflowStub(
        GenerationRunWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId(id).setTaskQueue(TaskQueues.WORKFLOWS).build());
  }

  private WorkerFactory workers(WorkflowClient client, SandboxSettings sandbox) {
    QuarryHome home = new QuarryHome(temp.resolve("home"));
    WorkerFactory workers =
        WorkerRuntime.build(
            client,
            Set.copyOf(TaskQueues.ALL),
            home,
            new WorkerRuntime.Capacity(2, 2),
            () -> new LlmChatModel(Duration.ofMinutes(1), home.llmCache()),
            () -> DockerSandboxExecutor.create(sandbox));
    workers.start();
    return workers;
  }

  /** This checkout's runner on the shared sandbox image, under a tag only this test uses. */
  /**
   * The default sandbox image under a tag of this test's own, with a label so it is an image of its
   * own: containers are then counted by ancestor without seeing other tests' containers.
   */
  private void buildSandboxImage(String image) throws Exception {
    Path context = Files.createDirectories(temp.resolve("sandbox-image"));
    Files.writeString(
        context.resolve("Dockerfile"),
        "FROM "
            + SandboxSettings.defaults().image()
            + "\nLABEL dev.quarry.test=\""
            + image
            + "\"\n");
    docker("build", "-q", "-t", image, context.toString());
  }

  private static String docker(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("docker"));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, process.waitFor(), String.join(" ", command) + ": " + output);
    return output;
  }

  /** Containers (running or not) made from this test's own image. */
  private static List<String> containers(String image) throws Exception {
    return docker("ps", "-aq", "--filter", "ancestor=" + image)
        .lines()
        .filter(l -> !l.isBlank())
        .toList();
  }

  /** Waits until containers of {@code image} exist (or are all gone); returns when, in nanos. */
  private static long awaitContainers(String image, boolean present, Duration timeout)
      throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      List<String> running =
          present
              ? docker("ps", "-q", "--filter", "ancestor=" + image, "--filter", "status=running")
                  .lines()
                  .filter(l -> !l.isBlank())
                  .toList()
              : containers(image);
      if (running.isEmpty() != present) {
        return System.nanoTime();
      }
      Thread.sleep(500);
    }
    throw new AssertionError(
        (present ? "no container of " : "containers still left of ")
            + image
            + " after "
            + timeout.toSeconds()
            + " s: "
            + containers(image));
  }

  private static void removeContainersAndImage(String image) throws Exception {
    for (String id : containers(image)) {
      docker("rm", "-f", id);
    }
    docker("rmi", "-f", image);
  }

  private static void awaitStatus(
      WorkflowServiceStubs service, String id, WorkflowExecutionStatus expected)
      throws InterruptedException {
    WorkflowExecutionStatus status = null;
    for (int i = 0; i < 60; i++) {
      status =
          service
              .blockingStub()
              .describeWorkflowExecution(
                  DescribeWorkflowExecutionRequest.newBuilder()
                      .setNamespace("default")
                      .setExecution(WorkflowExecution.newBuilder().setWorkflowId(id))
                      .build())
              .getWorkflowExecutionInfo()
              .getStatus();
      if (status == expected) {
        return;
      }
      Thread.sleep(500);
    }
    assertEquals(expected, status);
  }

  private static void awaitLogLine(Path log, String marker, Duration timeout, Process process)
      throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (Files.exists(log) && Files.readString(log).contains(marker)) {
        return;
      }
      if (!process.isAlive()) {
        throw new AssertionError("the worker exited: " + Files.readString(log));
      }
      Thread.sleep(500);
    }
    throw new AssertionError("the worker did not start: " + Files.readString(log));
  }
}
