package dev.quarry.workers.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.activities.generation.LlmChatModel;
import dev.quarry.activities.sandbox.DockerSandboxExecutor;
import dev.quarry.activities.sandbox.SandboxSettings;
import dev.quarry.activities.store.Json;
import dev.quarry.activities.store.QuarryHome;
import dev.quarry.llm.EmbeddedLlmServer;
import dev.quarry.llm.LlamaEngine;
import dev.quarry.workers.worker.WorkerRuntime;
import dev.quarry.workflows.TaskQueues;
import dev.quarry.workflows.run.GenerationRunWorkflow;
import dev.quarry.workflows.run.RunInput;
import dev.quarry.workflows.run.RunSummary;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.WorkerFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * One real round on the real parts: the Temporal CLI's dev server, llama.cpp serving a tiny GGUF
 * the test suite generated, the Docker sandbox. With random weights the model writes nonsense, so
 * this proves the pipeline runs, records and reports, not that problems are good.
 */
class EndToEndRunTest {
  @TempDir Path temp;

  static Path tinyModel() {
    String configured = System.getProperty("quarry.test.gguf", System.getenv("QUARRY_TEST_GGUF"));
    Path model = Path.of(configured != null ? configured : "../.quarry/models/tiny-test.gguf");
    assertTrue(
        Files.exists(model),
        "tiny test model missing at "
            + model.toAbsolutePath()
            + ": run scripts/ensure-tiny-model.sh");
    return model;
  }

  static Map<String, Object> role(String endpoint, int maxTokens) {
    return Map.of(
        "endpoint", endpoint, "model", "tiny", "maxTokens", maxTokens, "temperature", 0.8);
  }

  @Test
  @Timeout(value = 10, unit = TimeUnit.MINUTES)
  void oneRoundCompletesAndWritesTheDataset() throws Exception {
    // Short seeds, one without concepts: the conceptExtractor role (on, below) must list them,
    // and the tiny model's 512-token context must hold the extraction prompt.
    Path seeds = temp.resolve("seeds.jsonl");
    Files.writeString(
        seeds,
        String.join(
            "\n",
            "{\"id\":\"s1\",\"statement\":\"Sum n numbers.\",\"difficulty\":1}",
            "{\"id\":\"s2\",\"statement\":\"Sort n words.\",\"concepts\":[\"sorting\",\"strings\"],\"difficulty\":2}",
            "{\"id\":\"s3\",\"statement\":\"Count grid paths.\",\"concepts\":[\"dp\",\"grids\"],\"difficulty\":3}",
            ""));
    try (TemporalDevServer temporal = TemporalDevServer.start(temp.resolve("temporal"));
        EmbeddedLlmServer llm =
            EmbeddedLlmServer.load(LlamaEngine.Options.of(tinyModel())).start("127.0.0.1", 0)) {
      String endpoint = "http://127.0.0.1:" + llm.port() + "/v1";
      WorkflowServiceStubs service =
          WorkflowServiceStubs.newServiceStubs(
              WorkflowServiceStubsOptions.newBuilder().setTarget(temporal.address()).build());
      WorkflowClient client = WorkflowClient.newInstance(service);
      QuarryHome home = new QuarryHome(temp.resolve("home"));
      WorkerFactory workers =
          WorkerRuntime.build(
              client,
              Set.copyOf(TaskQueues.ALL),
              home,
              new WorkerRuntime.Capacity(2, 2),
              () -> new LlmChatModel(Duration.ofMinutes(2), home.llmCache()),
              () -> DockerSandboxExecutor.create(SandboxSettings.defaults()));
      workers.start();
      try {
        Path output = temp.resolve("datasets");
        Map<String, Object> config =
            Map.of(
                "seed", 3,
                "promptsPerRound", 2,
                "candidatesPerPrompt", 2,
                "rolloutsPerCandidate", 2,
                "testInputsPerCandidate", 2,
                "seeds", Map.of("file", seeds.toString(), "format", "quarry"),
                // The tiny model's context is 512 tokens of single bytes: no few-shot example.
                "concepts", Map.of("fewShot", 0, "extract", true),
                "roles",
                    Map.of(
                        "conceptExtractor", role(endpoint, 96),
                        "generator", role(endpoint, 48),
                        "testWriter", role(endpoint, 3000),
                        "solver", role(endpoint, 48)),
                "outputDir", output.toString());
        GenerationRunWorkflow run =
            client.newWorkflowStub(
                GenerationRunWorkflow.class,
                WorkflowOptions.newBuilder()
                    .setWorkflowId("e2e-run")
                    .setTaskQueue(TaskQueues.WORKFLOWS)
                    .build());
        RunSummary summary = run.run(RunInput.start(config));

        assertEquals(1, summary.roundsCompleted());
        assertEquals(4, summary.candidates());
        var round = summary.rounds().get(0);
        int reasons = round.invalidReasons().values().stream().mapToInt(Integer::intValue).sum();
        assertEquals(round.invalidCandidates(), reasons, "every invalid candidate has a reason");

        Path datasetFile = Path.of(round.shard().datasetFile());
        assertTrue(Files.exists(datasetFile), "the dataset shard is written even when it is empty");
        assertEquals(round.shard().rows(), Files.readAllLines(datasetFile).size());
        List<String> candidates = Files.readAllLines(Path.of(round.shard().candidatesFile()));
        assertEquals(4, candidates.size());
        Set<String> keys = new HashSet<>();
        for (String line : candidates) {
          JsonNode row = Json.MAPPER.readTree(line);
          keys.add(row.get("key").asText());
          assertTrue(row.get("valid").asBoolean() || !row.get("invalidReason").isNull(), line);
          // Every candidate went through the sandbox: M × T solution verdicts, no infra errors.
          int executions = 0;
          for (JsonNode count : row.get("verdictCounts")) {
            executions += count.asInt();
          }
          assertEquals(4, executions, line);
          assertTrue(row.get("verdictCounts").path("SANDBOX_ERROR").isMissingNode(), line);
        }
        assertEquals(4, keys.size(), "one row per (prompt, candidate), no duplicates");
        for (String line : Files.readAllLines(datasetFile)) {
          JsonNode row = Json.MAPPER.readTree(line);
          for (String field :
              List.of(
                  "concepts",
                  "prompt",
                  "generatorVersion",
                  "sampling",
                  "tests",
                  "verdictCounts",
                  "delta",
                  "comparator")) {
            assertNotNull(row.get(field), "dataset rows carry " + field);
          }
        }
        // Concept extraction ran and left its inspectable mapping: every seed, with the source of
        // its concepts, and a reason wherever the model's answer was not used.
        JsonNode mapping =
            Json.MAPPER.readTree(
                Files.readAllBytes(output.resolve("e2e-run").resolve("concepts-mapping.json")));
        assertEquals(3, mapping.get("seeds").size());
        for (JsonNode seed : mapping.get("seeds")) {
          assertTrue(
              seed.get("source").asText().equals("EXTRACTED") || !seed.get("error").isNull(),
              seed.toString());
        }
        assertNotNull(mapping.get("rawToCanonical"));
        System.out.println("e2e concepts: " + mapping);
        var status =
            service
                .blockingStub()
                .describeWorkflowExecution(
                    DescribeWorkflowExecutionRequest.newBuilder()
                        .setNamespace("default")
                        .setExecution(WorkflowExecution.newBuilder().setWorkflowId("e2e-run"))
                        .build())
                .getWorkflowExecutionInfo()
                .getStatus();
        assertEquals(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED, status);
        // Found by its search attributes, as `temporal workflow list --query` would: the run,
        // its round and its prompts carry QuarryRunId; the finished run says so in QuarryStage.
        // Visibility is eventually consistent.
        long tagged =
            await("run + round + 2 prompts found by QuarryRunId")
                .atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(500))
                .until(
                    () ->
                        client
                            .listExecutions("QuarryRunId = 'e2e-run' AND QuarryMethod = 'quest'")
                            .count(),
                    n -> n >= 1 + 1 + 2);
        assertEquals(4, tagged, "run + round + 2 prompts found by QuarryRunId");
        assertEquals(
            1,
            client.listExecutions("QuarryRunId = 'e2e-run' AND QuarryStage = 'completed'").count());
        System.out.println(
            "e2e: "
                + round.invalidReasons()
                + " rows="
                + round.shard().rows()
                + " candidates="
                + String.join("\n", candidates));
      } finally {
        workers.shutdownNow();
        workers.awaitTermination(10, TimeUnit.SECONDS);
        service.shutdownNow();
      }
    }
  }
}
