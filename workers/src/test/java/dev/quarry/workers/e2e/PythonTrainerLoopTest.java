package dev.quarry.workers.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.activities.generation.LlmChatModel;
import dev.quarry.activities.sandbox.DockerSandboxExecutor;
import dev.quarry.activities.sandbox.SandboxSettings;
import dev.quarry.activities.store.Json;
import dev.quarry.activities.store.QuarryHome;
import dev.quarry.llm.EmbeddedLlmServer;
import dev.quarry.llm.LlamaEngine;
import dev.quarry.llm.ScriptedLlmServer;
import dev.quarry.workers.worker.WorkerRuntime;
import dev.quarry.workflows.TaskQueues;
import dev.quarry.workflows.activities.GeneratorVersion;
import dev.quarry.workflows.run.GenerationRunWorkflow;
import dev.quarry.workflows.run.RunInput;
import dev.quarry.workflows.run.RunSummary;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.WorkerFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The closed loop on the real parts: Temporal's dev server, the Docker sandbox, llama.cpp serving
 * the tiny GGUF as the generator, and the Python trainer worker (trainer/quarry_trainer) as a real
 * process training LoRA on CPU between rounds. The test writer and solvers are the scripted server
 * (`quarry llm fake`), so candidates are valid whatever the random-weight generator writes and
 * round 1 leaves rows to train on.
 */
class PythonTrainerLoopTest {
  private static final String QUEUE = "quarry-train-python-test";
  @TempDir Path temp;

  static Path trainerPython() {
    String configured =
        System.getProperty("quarry.trainer.python", System.getenv("QUARRY_TRAINER_PYTHON"));
    Path python = Path.of(configured != null ? configured : "../.quarry/trainer-venv/bin/python");
    assertTrue(
        Files.isExecutable(python),
        "trainer venv missing at "
            + python.toAbsolutePath()
            + ": run scripts/ensure-trainer.sh (make trainer)");
    return python;
  }

  /** A Python trainer worker process whose output goes to {@code log}. */
  static Process startTrainer(String temporal, Path home, Path log) throws IOException {
    ProcessBuilder builder =
        new ProcessBuilder(
                trainerPython().toString(),
                "-m",
                "quarry_trainer",
                "--address",
                temporal,
                "--task-queue",
                QUEUE)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().put("QUARRY_HOME", home.toString());
    builder
        .environment()
        .put("PYTHONPATH", Path.of("../trainer").toAbsolutePath().normalize().toString());
    builder.environment().put("QUARRY_TRAINER_HEARTBEAT_SECONDS", "2");
    return builder.start();
  }

  static void awaitLog(Path log, Predicate<String> condition, Duration timeout) throws Exception {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      if (Files.exists(log) && condition.test(Files.readString(log))) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError(
        "timed out waiting in " + log + ":\n" + (Files.exists(log) ? Files.readString(log) : ""));
  }

  static Map<String, Object> role(String endpoint, String model, int maxTokens) {
    return Map.of("endpoint", endpoint, "model", model, "maxTokens", maxTokens, "temperature", 0.8);
  }

  static Map<String, Object> config(
      Path seeds,
      Path output,
      String llm,
      String scripted,
      int rounds,
      Map<String, Object> python) {
    return Map.ofEntries(
        Map.entry("seed", 5),
        Map.entry("rounds", rounds),
        Map.entry("promptsPerRound", 2),
        Map.entry("candidatesPerPrompt", 2),
        Map.entry("rolloutsPerCandidate", 2),
        Map.entry("testInputsPerCandidate", 2),
        Map.entry("seeds", Map.of("file", seeds.toString(), "format", "quarry")),
        Map.entry("concepts", Map.of("fewShot", 0)),
        Map.entry(
            "roles",
            Map.of(
                "generator", role(llm, "tiny", 48),
                "testWriter", role(scripted, "scripted", 200),
                "solver", role(scripted, "scripted", 200))),
        Map.entry("trainer", Map.of("backend", "python", "python", python)),
        Map.entry("outputDir", output.toString()));
  }

  static Map<String, Object> python(Path base, int maxSteps) {
    return Map.ofEntries(
        Map.entry("taskQueue", QUEUE),
        Map.entry("baseModel", base.toAbsolutePath().toString()),
        Map.entry("loraR", 4),
        Map.entry("loraAlpha", 8),
        Map.entry("epochs", 4),
        Map.entry("maxSteps", maxSteps),
        Map.entry("learningRate", 0.01),
        Map.entry("batchSize", 2),
        Map.entry("maxSeqLen", 384),
        Map.entry("seed", 11),
        Map.entry("heartbeatSeconds", 10));
  }

  Path seeds() throws IOException {
    Path seeds = temp.resolve("seeds.jsonl");
    Files.writeString(
        seeds,
        String.join(
            "\n",
            "{\"id\":\"s1\",\"statement\":\"Sum n numbers.\",\"concepts\":[\"math\",\"loops\"],\"difficulty\":1}",
            "{\"id\":\"s2\",\"statement\":\"Sort n words.\",\"concepts\":[\"sorting\",\"strings\"],\"difficulty\":2}",
            "{\"id\":\"s3\",\"statement\":\"Count grid paths.\",\"concepts\":[\"dp\",\"grids\"],\"difficulty\":3}",
            ""));
    return seeds;
  }

  static String sha256(Path file) throws Exception {
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    return HexFormat.of().formatHex(digest.digest(Files.readAllBytes(file)));
  }

  /**
   * The stack of one test: dev server, LLM servers, Java workers; the trainer is started by the
   * test.
   */
  private record Stack(
      TemporalDevServer temporal,
      EmbeddedLlmServer llm,
      ScriptedLlmServer scripted,
      WorkflowServiceStubs service,
      WorkflowClient client,
      WorkerFactory workers,
      QuarryHome home)
      implements AutoCloseable {
    static Stack start(Path temp) throws Exception {
      TemporalDevServer temporal = TemporalDevServer.start(temp.resolve("temporal"));
      QuarryHome home = new QuarryHome(temp.resolve("home"));
      EmbeddedLlmServer llm =
          EmbeddedLlmServer.load(LlamaEngine.Options.of(EndToEndRunTest.tinyModel()))
              .serveRegistry(home.models())
              .start("127.0.0.1", 0);
      ScriptedLlmServer scripted = new ScriptedLlmServer().start("127.0.0.1", 0);
      WorkflowServiceStubs service =
          WorkflowServiceStubs.newServiceStubs(
              WorkflowServiceStubsOptions.newBuilder().setTarget(temporal.address()).build());
      WorkflowClient client = WorkflowClient.newInstance(service);
      WorkerFactory workers =
          WorkerRuntime.build(
              client,
              Set.copyOf(TaskQueues.ALL),
              home,
              new WorkerRuntime.Capacity(2, 2),
              () -> new LlmChatModel(Duration.ofMinutes(2), home.llmCache()),
              () -> DockerSandboxExecutor.create(SandboxSettings.defaults()));
      workers.start();
      return new Stack(temporal, llm, scripted, service, client, workers, home);
    }

    String llmEndpoint() {
      return "http://127.0.0.1:" + llm.port() + "/v1";
    }

    String scriptedEndpoint() {
      return scripted.baseUrl() + "/v1";
    }

    RunSummary run(String runId, Map<String, Object> config) {
      return client
          .newWorkflowStub(
              GenerationRunWorkflow.class,
              WorkflowOptions.newBuilder()
                  .setWorkflowId(runId)
                  .setTaskQueue(TaskQueues.WORKFLOWS)
                  .build())
          .run(RunInput.start(config));
    }

    @Override
    public void close() {
      workers.shutdownNow();
      workers.awaitTermination(10, TimeUnit.SECONDS);
      service.shutdownNow();
      scripted.close();
      llm.close();
      temporal.close();
    }
  }

  @Test
  @Timeout(value = 10, unit = TimeUnit.MINUTES)
  void roundTwoGeneratesWithTheModelTrainedAfterRoundOne() throws Exception {
    Path trainerLog = temp.resolve("trainer.log");
    try (Stack stack = Stack.start(temp)) {
      Process trainer = startTrainer(stack.temporal().address(), stack.home().root(), trainerLog);
      try {
        Path output = temp.resolve("datasets");
        RunSummary summary =
            stack.run(
                "pytrain-loop",
                config(
                    seeds(),
                    output,
                    stack.llmEndpoint(),
                    stack.scriptedEndpoint(),
                    2,
                    python(EndToEndRunTest.tinyModel(), 0)));
        System.out.println("python trainer loop: versions " + summary.versions());

        assertEquals(2, summary.roundsCompleted());
        List<GeneratorVersion> versions = summary.versions();
        assertEquals(
            List.of("v0", "v1", "v2"), versions.stream().map(GeneratorVersion::id).toList());
        GeneratorVersion v1 = versions.get(1);
        assertEquals("python-lora", v1.backend());
        assertEquals("registry/pytrain-loop/v1", v1.model());
        Path model = stack.home().models().resolve("registry/pytrain-loop/v1/model.gguf");
        assertTrue(Files.isRegularFile(model), model.toString());
        // A new fingerprint: the merged GGUF differs from the base, and the metric is the file's.
        assertEquals(sha256(model), v1.metrics().get("sha256"));
        assertEquals(sha256(EndToEndRunTest.tinyModel()), v1.metrics().get("baseSha256"));
        assertNotEquals(v1.metrics().get("baseSha256"), v1.metrics().get("sha256"));
        assertTrue(
            v1.metric("lossAfter") < v1.metric("lossBefore"),
            "the loss went down: " + v1.metrics());
        assertTrue(v1.metric("rows") > 0, "round 1 left rows to train on: " + v1.metrics());
        // v2 was trained from v1's model, not from the base.
        GeneratorVersion v2 = versions.get(2);
        assertEquals("v1", v2.parent());
        assertEquals(sha256(model), v2.metrics().get("baseSha256"));

        // Round 2 generated with v1, served by llama.cpp from the registry, and its rows say so.
        var round2 = summary.rounds().get(1);
        assertEquals("v1", round2.generatorVersion());
        assertTrue(round2.shard().rows() > 0, "round 2 wrote rows");
        for (String line : Files.readAllLines(Path.of(round2.shard().datasetFile()))) {
          JsonNode row = Json.MAPPER.readTree(line);
          assertEquals("v1", row.get("generatorVersion").asText(), line);
          assertEquals(
              "registry/pytrain-loop/v1", row.at("/sampling/generator/model").asText(), line);
        }
        for (String line : Files.readAllLines(Path.of(round2.shard().candidatesFile()))) {
          assertEquals("v1", Json.MAPPER.readTree(line).get("generatorVersion").asText(), line);
        }
        for (String line :
            Files.readAllLines(Path.of(summary.rounds().get(0).shard().datasetFile()))) {
          assertEquals("v0", Json.MAPPER.readTree(line).get("generatorVersion").asText(), line);
        }
      } finally {
        trainer.destroy();
        trainer.waitFor(20, TimeUnit.SECONDS);
        trainer.destroyForcibly();
      }
    } finally {
      System.out.println(
          "trainer log:\n" + (Files.exists(trainerLog) ? Files.readString(trainerLog) : ""));
    }
  }

  @Test
  @Timeout(value = 10, unit = TimeUnit.MINUTES)
  void aTrainerKilledMidTrainingIsRetriedOnARestartedWorkerAndTheRunCompletes() throws Exception {
    Path firstLog = temp.resolve("trainer-1.log");
    Path secondLog = temp.resolve("trainer-2.log");
    try (Stack stack = Stack.start(temp)) {
      Process first = startTrainer(stack.temporal().address(), stack.home().root(), firstLog);
      Process second = null;
      try {
        var run =
            CompletableFuture.supplyAsync(
                () -> {
                  try {
                    return stack.run(
                        "pytrain-kill",
                        config(
                            seeds(),
                            temp.resolve("datasets"),
                            stack.llmEndpoint(),
                            stack.scriptedEndpoint(),
                            1,
                            python(EndToEndRunTest.tinyModel(), 400)));
                  } catch (IOException e) {
                    throw new UncheckedIOException(e);
                  }
                });
        // Mid-training: a few optimizer steps done, most to go.
        awaitLog(firstLog, log -> log.contains("step 5/400"), Duration.ofMinutes(5));
        first.destroyForcibly(); // SIGKILL: no clean shutdown, no last heartbeat
        assertTrue(first.waitFor(10, TimeUnit.SECONDS));
        Instant killed = Instant.now();
        second = startTrainer(stack.temporal().address(), stack.home().root(), secondLog);

        RunSummary summary = run.get(5, TimeUnit.MINUTES);
        System.out.println(
            "killed trainer: retried and finished "
                + Duration.between(killed, Instant.now()).toSeconds()
                + " s after the kill; versions "
                + summary.versions());
        assertEquals(1, summary.roundsCompleted());
        assertEquals(
            List.of("v0", "v1"),
            summary.versions().stream().map(GeneratorVersion::id).toList(),
            "one version for the round");
        GeneratorVersion v1 = summary.versions().get(1);
        assertEquals("registry/pytrain-kill/v1", v1.model());
        assertEquals(
            sha256(stack.home().models().resolve("registry/pytrain-kill/v1/model.gguf")),
            v1.metrics().get("sha256"));
        assertTrue(v1.metric("lossAfter") < v1.metric("lossBefore"), v1.metrics().toString());
        String retried = Files.readString(secondLog);
        assertTrue(
            retried.contains("round 0, attempt 2"),
            "the restarted worker ran the retry:\n" + retried);
        assertTrue(retried.contains("step 400/400"), retried);
        assertTrue(
            !Files.readString(firstLog).contains("step 400/400"),
            "the first worker died mid-training");
      } finally {
        first.destroyForcibly();
        if (second != null) {
          second.destroy();
          second.waitFor(20, TimeUnit.SECONDS);
          second.destroyForcibly();
        }
      }
    } finally {
      for (Path log : List.of(firstLog, secondLog)) {
        System.out.println(
            log.getFileName() + ":\n" + (Files.exists(log) ? Files.readString(log) : ""));
      }
    }
  }

  @Test
  @Timeout(value = 10, unit = TimeUnit.MINUTES)
  void scaleQuestQpoPairsTrainTheGeneratorWithDpo() throws Exception {
    Path trainerLog = temp.resolve("trainer-dpo.log");
    try (Stack stack = Stack.start(temp)) {
      Process trainer = startTrainer(stack.temporal().address(), stack.home().root(), trainerLog);
      try {
        Map<String, Object> python = new HashMap<>(python(EndToEndRunTest.tinyModel(), 0));
        python.put("data", "dpo");
        python.put("maxSeqLen", 256);
        String scripted = stack.scriptedEndpoint();
        Map<String, Object> config =
            Map.of(
                "method",
                "scalequest",
                "seed",
                3,
                "rounds",
                2,
                "promptsPerRound",
                3,
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
                    "generator", role(stack.llmEndpoint(), "tiny", 32),
                    "judge", role(scripted, "scripted", 64),
                    "solver", role(scripted, "scripted", 64),
                    "rewardModel", role(scripted, "scripted", 32),
                    "rewriter", role(scripted, "scripted", 200)),
                "trainer",
                Map.of("backend", "python", "python", python),
                "outputDir",
                temp.resolve("datasets").toString());
        RunSummary summary = stack.run("pytrain-dpo", config);
        GeneratorVersion v1 = summary.versions().get(1);
        System.out.println("dpo: " + v1);
        Path pairs =
            Path.of(summary.rounds().get(0).shard().rftFile().replace(".rft.jsonl", ".dpo.jsonl"));
        System.out.println(
            "dpo pairs: " + (Files.exists(pairs) ? Files.readAllLines(pairs).size() : -1));
        assertEquals("registry/pytrain-dpo/v1", v1.model(), v1.toString());
        assertEquals("dpo-train", v1.metrics().get("lossKind"));
        assertTrue(v1.metric("lossAfter") < v1.metric("lossBefore"), v1.metrics().toString());
        assertNotEquals(v1.metrics().get("baseSha256"), v1.metrics().get("sha256"));
        // Round 2's raw-prefix generator (/v1/completions) is the DPO-trained GGUF.
        var round2 = summary.rounds().get(1);
        assertEquals("v1", round2.generatorVersion());
        List<String> questions = Files.readAllLines(Path.of(round2.shard().candidatesFile()));
        assertEquals(3, questions.size());
        int written = 0;
        for (String line : questions) {
          JsonNode row = Json.MAPPER.readTree(line);
          assertEquals("v1", row.get("generatorVersion").asText(), line);
          written += row.get("question").isNull() ? 0 : 1;
        }
        assertTrue(
            written > 0, "the registry model answered round 2's generator requests: " + questions);
        System.out.println(
            "dpo round 2: " + written + " questions, invalid " + round2.invalidReasons());
        assertEquals(
            List.of("v0", "v1", "v2"),
            summary.versions().stream().map(GeneratorVersion::id).toList());
      } finally {
        trainer.destroy();
        trainer.waitFor(20, TimeUnit.SECONDS);
        trainer.destroyForcibly();
      }
    } finally {
      System.out.println(
          "trainer log:\n" + (Files.exists(trainerLog) ? Files.readString(trainerLog) : ""));
    }
  }
}
