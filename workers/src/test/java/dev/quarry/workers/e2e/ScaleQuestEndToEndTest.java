package dev.quarry.workers.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.activities.generation.LlmChatModel;
import dev.quarry.activities.scalequest.ScaleQuestDatasetActivitiesImpl;
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
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * One ScaleQuest round on the real parts: the Temporal CLI's dev server and llama.cpp serving the
 * tiny random-weight GGUF (raw completions for the generator, chat with a JSON-schema grammar for
 * the reward judge). Random weights write byte soup that the language filter rejects, so the run
 * uses runAllFilters: every stage runs on every question, and this proves the pipeline runs and
 * records every filter's outcome, not that the questions are good.
 */
class ScaleQuestEndToEndTest {
  @TempDir Path temp;

  @Test
  @Timeout(value = 6, unit = TimeUnit.MINUTES)
  void oneScaleQuestRoundRecordsEveryFilterOnEveryQuestion() throws Exception {
    try (TemporalDevServer temporal = TemporalDevServer.start(temp.resolve("temporal"));
        EmbeddedLlmServer llm =
            EmbeddedLlmServer.load(LlamaEngine.Options.of(EndToEndRunTest.tinyModel()))
                .start("127.0.0.1", 0)) {
      String endpoint = "http://127.0.0.1:" + llm.port() + "/v1";
      WorkflowServiceStubs service =
          WorkflowServiceStubs.newServiceStubs(
              WorkflowServiceStubsOptions.newBuilder().setTarget(temporal.address()).build());
      WorkflowClient client = WorkflowClient.newInstance(service);
      QuarryHome home = new QuarryHome(temp.resolve("home"));
      WorkerFactory workers =
          WorkerRuntime.build(
              client,
              // ScaleQuest runs no code: no sandbox queue, so no Docker needed.
              Set.of(TaskQueues.WORKFLOWS, TaskQueues.LLM, TaskQueues.TRAIN),
              home,
              new WorkerRuntime.Capacity(2, 1),
              () -> new LlmChatModel(Duration.ofMinutes(2), home.llmCache()),
              () -> {
                throw new IllegalStateException("ScaleQuest must not need a sandbox");
              });
      workers.start();
      try {
        Path output = temp.resolve("datasets");
        Map<String, Object> config =
            Map.of(
                "method",
                "scalequest",
                "seed",
                3,
                "promptsPerRound",
                2,
                // No seeds block: ScaleQuest generates from scratch.
                "scalequest",
                Map.of(
                    "solverSamples",
                    2,
                    "responseSamples",
                    2,
                    "runAllFilters",
                    true,
                    "qpoDifficultyShare",
                    0.5),
                "roles",
                Map.of(
                    "generator", EndToEndRunTest.role(endpoint, 32),
                    "judge", EndToEndRunTest.role(endpoint, 24),
                    "solver", EndToEndRunTest.role(endpoint, 24),
                    "rewardModel", EndToEndRunTest.role(endpoint, 16),
                    "rewriter", EndToEndRunTest.role(endpoint, 32)),
                "outputDir",
                output.toString());
        GenerationRunWorkflow run =
            client.newWorkflowStub(
                GenerationRunWorkflow.class,
                WorkflowOptions.newBuilder()
                    .setWorkflowId("sq-e2e")
                    .setTaskQueue(TaskQueues.WORKFLOWS)
                    .build());
        RunSummary summary = run.run(RunInput.start(config));

        assertEquals(1, summary.roundsCompleted());
        assertEquals(2, summary.candidates());
        var round = summary.rounds().get(0);
        int reasons = round.invalidReasons().values().stream().mapToInt(Integer::intValue).sum();
        assertEquals(round.invalidCandidates(), reasons, "every dropped question has a reason");
        assertEquals(2, summary.usage().generator().requests());

        List<String> questions = Files.readAllLines(Path.of(round.shard().candidatesFile()));
        assertEquals(2, questions.size());
        int generated = 0;
        for (String line : questions) {
          JsonNode row = Json.MAPPER.readTree(line);
          assertTrue(row.get("kept").asBoolean() || !row.get("invalidReason").isNull(), line);
          JsonNode filters = row.get("filters");
          assertEquals(
              Set.of("language", "solvability", "difficulty", "answerPresent"),
              Set.copyOf(iterable(filters.fieldNames())),
              line);
          if (row.get("question").isNull()) {
            continue; // the generator wrote nothing: no filter could run, and the reason says so
          }
          generated++;
          // runAllFilters: every filter ran and recorded what it saw.
          for (JsonNode outcome : filters) {
            assertTrue(outcome.get("ran").asBoolean(), line);
            assertFalse(outcome.get("detail").asText().isBlank(), line);
          }
          assertFalse(row.get("judgeVerdict").isNull(), line);
          double failRate = row.get("failRate").asDouble();
          assertTrue(failRate >= 0 && failRate <= 1, line);
          assertFalse(row.get("qpo").get("direction").isNull(), line);
        }
        if (generated > 0) {
          assertEquals(generated, summary.usage().judge().requests());
          assertEquals(
              2L * generated, summary.usage().solver().requests(), "fail-rate and response calls");
          assertTrue(summary.usage().rewardModel().requests() > 0, "responses were scored");
          assertEquals(generated, summary.usage().rewriter().requests());
        }

        Path datasetFile = Path.of(round.shard().datasetFile());
        assertEquals(round.shard().rows(), Files.readAllLines(datasetFile).size());
        for (String line : Files.readAllLines(datasetFile)) {
          JsonNode row = Json.MAPPER.readTree(line);
          for (String field :
              List.of(
                  "prompt",
                  "question",
                  "response",
                  "rewardScore",
                  "failRate",
                  "judgeVerdict",
                  "filters",
                  "sampling",
                  "generatorVersion")) {
            assertNotNull(row.get(field), "dataset rows carry " + field);
          }
        }
        Path dpo = ScaleQuestDatasetActivitiesImpl.dpoFile(datasetFile.getParent(), 0);
        assertTrue(Files.exists(dpo), "the DPO file is written even when empty");
        for (String line : Files.readAllLines(dpo)) {
          JsonNode pair = Json.MAPPER.readTree(line);
          assertEquals(
              Set.of("prompt", "chosen", "rejected"),
              Set.copyOf(List.copyOf(iterable(pair.fieldNames()))),
              line);
        }
        Path openAi = dpo.resolveSibling("round-0.dpo-openai.jsonl");
        assertEquals(
            Files.readAllLines(dpo).size(),
            Files.readAllLines(openAi).size(),
            "the same pairs, OpenAI's format");
        for (String line : Files.readAllLines(openAi)) {
          JsonNode pair = Json.MAPPER.readTree(line);
          assertEquals("user", pair.get("input").get("messages").get(0).get("role").asText(), line);
          assertEquals("assistant", pair.get("preferred_output").get(0).get("role").asText(), line);
          assertEquals(
              "assistant", pair.get("non_preferred_output").get(0).get("role").asText(), line);
        }
        assertTrue(Files.exists(Path.of(round.shard().rftFile())));

        for (String id : List.of("sq-e2e", "sq-e2e/round-0/prompt-0", "sq-e2e/round-0/prompt-1")) {
          var status =
              service
                  .blockingStub()
                  .describeWorkflowExecution(
                      DescribeWorkflowExecutionRequest.newBuilder()
                          .setNamespace("default")
                          .setExecution(WorkflowExecution.newBuilder().setWorkflowId(id))
                          .build())
                  .getWorkflowExecutionInfo()
                  .getStatus();
          assertEquals(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED, status, id);
        }
        System.out.println(
            "scalequest e2e: "
                + round.invalidReasons()
                + " rows="
                + round.shard().rows()
                + " usage="
                + summary.usage()
                + "\n"
                + String.join("\n", questions));
      } finally {
        workers.shutdownNow();
        workers.awaitTermination(10, TimeUnit.SECONDS);
        service.shutdownNow();
      }
    }
  }

  private static <T> List<T> iterable(Iterator<T> it) {
    List<T> list = new ArrayList<>();
    it.forEachRemaining(list::add);
    return list;
  }
}
