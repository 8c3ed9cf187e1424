package dev.quarry.workers.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.activities.generation.LlmChatModel;
import dev.quarry.activities.sandbox.DockerSandboxExecutor;
import dev.quarry.activities.sandbox.SandboxSettings;
import dev.quarry.activities.sparq.SparqActivitiesImpl;
import dev.quarry.activities.store.Json;
import dev.quarry.activities.store.QuarryHome;
import dev.quarry.core.artifacts.SparqArchiveRecord;
import dev.quarry.core.config.RunConfigLoader;
import dev.quarry.core.sparq.QualityDiversityArchive;
import dev.quarry.llm.EmbeddedLlmServer;
import dev.quarry.llm.LlamaEngine;
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
 * One real SPARQ round on the real parts: the Temporal CLI's dev server and llama.cpp serving the
 * tiny random-weight GGUF. The model writes nonsense, so this proves the pipeline runs end to end
 * (generation, skill tagging, K rollouts, scoring, archive, filtered shard) and records SPARQ's
 * fields, not that the problems are good.
 */
class SparqEndToEndTest {
  @TempDir Path temp;

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void oneSparqRoundRecordsSolveRatesAndPersistsTheArchive() throws Exception {
    Path seeds = Path.of("../seeds/math-seeds.jsonl").toAbsolutePath().normalize();
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
              Set.of(TaskQueues.WORKFLOWS, TaskQueues.LLM, TaskQueues.TRAIN),
              home,
              new WorkerRuntime.Capacity(2, 1),
              () -> new LlmChatModel(Duration.ofMinutes(2), home.llmCache()),
              () -> DockerSandboxExecutor.create(SandboxSettings.defaults()));
      workers.start();
      try {
        Path output = temp.resolve("datasets");
        Map<String, Object> config =
            Map.of(
                "method", "sparq",
                "seed", 4,
                "promptsPerRound", 3,
                "seeds", Map.of("file", seeds.toString(), "format", "math"),
                "sparq", Map.of("rollouts", 3, "nicheCapacity", 4),
                // Single-byte tokens: the JSON replies need room to close their bounded strings.
                "roles",
                    Map.of(
                        "generator", EndToEndRunTest.role(endpoint, 3400),
                        "skillTagger", EndToEndRunTest.role(endpoint, 200),
                        "solver", EndToEndRunTest.role(endpoint, 48)),
                "outputDir", output.toString());
        GenerationRunWorkflow run =
            client.newWorkflowStub(
                GenerationRunWorkflow.class,
                WorkflowOptions.newBuilder()
                    .setWorkflowId("e2e-sparq")
                    .setTaskQueue(TaskQueues.WORKFLOWS)
                    .build());
        RunSummary summary = run.run(RunInput.start(config));

        assertEquals(1, summary.roundsCompleted());
        var round = summary.rounds().get(0);
        assertEquals(3, round.candidates(), "one problem per prompt");
        int reasons = round.invalidReasons().values().stream().mapToInt(Integer::intValue).sum();
        assertEquals(round.invalidCandidates(), reasons, "every invalid problem has a reason");

        List<String> candidates = Files.readAllLines(Path.of(round.shard().candidatesFile()));
        assertEquals(3, candidates.size());
        Set<String> keys = new HashSet<>();
        int measured = 0;
        for (String line : candidates) {
          JsonNode row = Json.MAPPER.readTree(line);
          keys.add(row.get("key").asText());
          for (String field :
              List.of("solveRate", "quality", "niche", "parentId", "valid", "invalidReason")) {
            assertTrue(row.has(field), "candidate rows carry " + field + ": " + line);
          }
          if (row.get("valid").asBoolean()) {
            measured++;
            double sr = row.get("solveRate").asDouble();
            assertTrue(sr >= 0 && sr <= 1, line);
            double expectedQuality = sr >= 0.1 && sr <= 0.9 ? 1 - sr : 0;
            assertEquals(expectedQuality, row.get("quality").asDouble(), 1e-12, line);
            assertTrue(
                row.get("niche").size() >= 1,
                "the tagger's grammar allows only known skills: " + line);
          } else {
            assertTrue(!row.get("invalidReason").isNull(), line);
          }
        }
        assertEquals(3, keys.size(), "one row per prompt, no duplicates");
        assertEquals(round.validCandidates(), measured);
        // The tiny model is byte-identical for its seed and every call is seeded, so the same
        // prompt always makes it through generation, tagging, K rollouts and scoring.
        assertTrue(measured >= 1, "at least one problem went through every stage");
        Path datasetFile = Path.of(round.shard().datasetFile());
        assertTrue(Files.exists(datasetFile), "the dataset shard is written even when it is empty");
        assertEquals(round.shard().rows(), Files.readAllLines(datasetFile).size());

        // The archive after round 0 sits next to the dataset and reloads into an archive.
        var resolved = RunConfigLoader.parse(Json.line(config), "e2e");
        Path archiveFile = SparqActivitiesImpl.exportFile(resolved, "e2e-sparq", 0);
        assertTrue(Files.exists(archiveFile), "archive snapshot at " + archiveFile);
        SparqArchiveRecord archive =
            Json.read(Files.readAllBytes(archiveFile), SparqArchiveRecord.class);
        QualityDiversityArchive reloaded = QualityDiversityArchive.of(archive.archive());
        assertEquals(archive.archive(), reloaded.snapshot());
        assertTrue(reloaded.size() > 0, "the seeds are in the archive");
        assertTrue(
            reloaded.niches().values().stream().allMatch(n -> n.size() <= 4), "niche capacity 4");
        assertNotNull(archive.vocabulary());
        assertTrue(archive.vocabulary().contains("linear equations"));
        System.out.println(
            "e2e sparq: "
                + round.invalidReasons()
                + " rows="
                + round.shard().rows()
                + " candidates=\n"
                + String.join("\n", candidates));
      } finally {
        workers.shutdownNow();
        workers.awaitTermination(10, TimeUnit.SECONDS);
        service.shutdownNow();
      }
    }
  }
}
