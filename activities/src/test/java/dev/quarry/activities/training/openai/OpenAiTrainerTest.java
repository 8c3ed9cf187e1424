package dev.quarry.activities.training.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.activities.store.Json;
import dev.quarry.activities.store.RecordStore;
import dev.quarry.core.config.TrainerConfig;
import dev.quarry.core.config.TrainingData;
import dev.quarry.workflows.activities.GeneratorVersion;
import dev.quarry.workflows.activities.RetrainRequest;
import io.temporal.client.ActivityCanceledException;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockWebServer;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OpenAiTrainerTest {
  private static final GeneratorVersion BASE =
      new GeneratorVersion("v0", null, "base-model", null, "base", 0, null);
  private static final RetrainRequest REQUEST =
      new RetrainRequest("run-1", 0, "unused", 2, BASE, null);
  private static final TrainerConfig.OpenAi CONFIG =
      new TrainerConfig.OpenAi(
          "http://unused/v1/",
          "OPENAI_API_KEY",
          "base-model",
          "quarry",
          Map.of("n_epochs", 3),
          30,
          TrainingData.RFT);

  @TempDir Path dir;
  private final MockWebServer server = new MockWebServer();
  private final List<FineTuningProgress> beats = new ArrayList<>();
  private int sleeps;

  @AfterEach
  void stop() throws Exception {
    server.close();
  }

  private OpenAiTrainer trainer(FakeFineTuningProvider provider, OpenAiTrainer.Sleeper sleeper)
      throws Exception {
    server.setDispatcher(provider);
    server.start();
    return trainerOnRunningServer(sleeper);
  }

  private OpenAiTrainer trainerOnRunningServer(OpenAiTrainer.Sleeper sleeper) {
    FineTuningApi api =
        new FineTuningApi(server.url("/v1/").toString(), "sk-test", new OkHttpClient());
    return new OpenAiTrainer(
        api, CONFIG, new RecordStore(dir.resolve("records")), dir.resolve("registry"), sleeper);
  }

  private Path data() throws Exception {
    Path file = dir.resolve("round-0.rft.jsonl");
    Files.writeString(file, "{\"messages\":[{\"role\":\"user\",\"content\":\"q\"}]}\n");
    return file;
  }

  @Test
  void pollsThroughTheJobStatesAndRegistersTheFineTunedModel() throws Exception {
    var provider =
        new FakeFineTuningProvider(null, "validating_files", "queued", "running", "succeeded");
    OpenAiTrainer trainer = trainer(provider, d -> sleeps++);

    GeneratorVersion version = trainer.train(REQUEST, data(), beats::add);

    assertEquals("ft:base-model:quarry:abc123", version.model());
    assertEquals("v1", version.id());
    assertEquals("v0", version.parent());
    assertEquals("openai", version.backend());
    assertEquals(
        List.of("validating_files", "queued", "running", "succeeded"),
        beats.stream().map(FineTuningProgress::status).toList());
    assertEquals(3, sleeps, "one wait between each pair of polls, none after the final state");
    assertEquals("Step 20/20: training loss=0.4100", beats.get(3).lastEvent());
    assertEquals(1, provider.count("POST /v1/files"));
    assertEquals(1, provider.count("POST /v1/fine_tuning/jobs"));
    assertTrue(provider.uploads.get(0).contains("fine-tune"));
    assertTrue(provider.uploads.get(0).contains("\"content\":\"q\""));

    JsonNode entry = Json.MAPPER.readTree(dir.resolve("registry/run-1/v1/version.json").toFile());
    assertEquals("ft:base-model:quarry:abc123", entry.path("version").path("model").asText());
    assertEquals(3, entry.path("hyperparameters").path("n_epochs").asInt());
    // The latest metrics event (step 20) carries loss 0.41, not the earlier 0.9.
    assertEquals(0.41, entry.path("metrics").path("trainLoss").asDouble(), 1e-12);
    assertEquals(FakeFineTuningProvider.JOB, entry.path("jobId").asText());
    assertTrue(Files.exists(dir.resolve("registry/run-1/v1/training-data.rft.jsonl")));
  }

  @Test
  void sendsModelFileSuffixHyperparametersAndTheKey() throws Exception {
    var provider = new FakeFineTuningProvider(null, "succeeded");
    OpenAiTrainer trainer = trainer(provider, d -> sleeps++);
    trainer.train(REQUEST, data(), beats::add);

    var upload = server.takeRequest();
    assertEquals("Bearer sk-test", upload.getHeaders().get("Authorization"));
    var create = server.takeRequest();
    JsonNode body = Json.MAPPER.readTree(create.getBody().utf8());
    assertEquals("base-model", body.path("model").asText());
    assertEquals("file-xyz", body.path("training_file").asText());
    assertEquals("quarry", body.path("suffix").asText());
    assertEquals(3, body.path("hyperparameters").path("n_epochs").asInt());
  }

  @Test
  void preferencePairsStartADpoJobWithTheHyperparametersInsideTheMethod() throws Exception {
    var provider = new FakeFineTuningProvider(null, "succeeded");
    server.setDispatcher(provider);
    server.start();
    TrainerConfig.OpenAi dpo =
        new TrainerConfig.OpenAi(
            "http://unused/v1/",
            "OPENAI_API_KEY",
            "base-model",
            "quarry",
            Map.of("beta", 0.1),
            30,
            TrainingData.DPO);
    FineTuningApi api =
        new FineTuningApi(server.url("/v1/").toString(), "sk-test", new OkHttpClient());
    OpenAiTrainer trainer =
        new OpenAiTrainer(
            api,
            dpo,
            new RecordStore(dir.resolve("records")),
            dir.resolve("registry"),
            d -> sleeps++);
    Path pairs = dir.resolve("round-0.dpo-openai.jsonl");
    Files.writeString(
        pairs,
        "{\"input\":{\"messages\":[]},\"preferred_output\":[],\"non_preferred_output\":[]}\n");

    trainer.train(REQUEST, pairs, beats::add);

    server.takeRequest();
    JsonNode body = Json.MAPPER.readTree(server.takeRequest().getBody().utf8());
    assertEquals("dpo", body.path("method").path("type").asText());
    assertEquals(
        0.1,
        body.path("method").path("dpo").path("hyperparameters").path("beta").asDouble(),
        1e-12);
    assertTrue(
        body.path("hyperparameters").isMissingNode(),
        "no legacy top-level hyperparameters: " + body);
    assertTrue(Files.exists(dir.resolve("registry/run-1/v1/training-data.dpo.jsonl")));
  }

  @Test
  void aFailedJobIsAFinalFailureWithTheProvidersMessage() throws Exception {
    var provider =
        new FakeFineTuningProvider("line 3 is not valid JSON", "validating_files", "failed");
    OpenAiTrainer trainer = trainer(provider, d -> sleeps++);

    ApplicationFailure failure =
        assertThrows(ApplicationFailure.class, () -> trainer.train(REQUEST, data(), beats::add));

    assertTrue(failure.isNonRetryable());
    assertEquals("FineTuningFailed", failure.getType());
    assertTrue(
        failure.getOriginalMessage().contains("line 3 is not valid JSON"), failure.getMessage());
    assertFalse(Files.exists(dir.resolve("registry/run-1/v1/version.json")));
  }

  @Test
  void aJobCancelledAtTheProviderIsAFinalFailure() throws Exception {
    var provider = new FakeFineTuningProvider(null, "running", "cancelled");
    OpenAiTrainer trainer = trainer(provider, d -> sleeps++);

    ApplicationFailure failure =
        assertThrows(ApplicationFailure.class, () -> trainer.train(REQUEST, data(), beats::add));

    assertTrue(failure.isNonRetryable());
    assertEquals("FineTuningCancelled", failure.getType());
  }

  @Test
  void cancellingTheActivityCancelsTheProvidersJob() throws Exception {
    var provider = new FakeFineTuningProvider(null, "running");
    OpenAiTrainer trainer = trainer(provider, d -> sleeps++);

    assertThrows(
        ActivityCanceledException.class,
        () ->
            trainer.train(
                REQUEST,
                data(),
                beat -> {
                  beats.add(beat);
                  if (beats.size() == 2) {
                    throw new ActivityCanceledException();
                  }
                }));

    assertEquals(
        1, provider.count("POST /v1/fine_tuning/jobs/" + FakeFineTuningProvider.JOB + "/cancel"));
  }

  @Test
  void aCrashWhilePollingResumesTheRecordedJobWithoutStartingASecondOne() throws Exception {
    var provider = new FakeFineTuningProvider(null, "queued", "running", "running", "succeeded");
    // First attempt: the worker dies during its second wait, after the job was recorded.
    OpenAiTrainer first =
        trainer(
            provider,
            d -> {
              if (++sleeps == 2) {
                throw new IllegalStateException("worker killed");
              }
            });
    assertThrows(IllegalStateException.class, () -> first.train(REQUEST, data(), beats::add));
    assertTrue(Files.exists(dir.resolve("records/run-1/round-0/fine-tuning-job.json")));

    // Retry: a fresh trainer (new process) over the same record store.
    OpenAiTrainer retry = trainerOnRunningServer(d -> {});
    GeneratorVersion version = retry.train(REQUEST, data(), beats::add);

    assertEquals("ft:base-model:quarry:abc123", version.model());
    assertEquals(1, provider.count("POST /v1/files"));
    assertEquals(1, provider.count("POST /v1/fine_tuning/jobs"), "exactly one job for the round");
    assertEquals(
        List.of("queued", "running", "running", "succeeded"),
        beats.stream().map(FineTuningProgress::status).toList());
  }

  @Test
  void aRejectedRequestIsFinalAndSaysWhatToCheck() throws Exception {
    server.setDispatcher(
        new mockwebserver3.Dispatcher() {
          @Override
          public mockwebserver3.MockResponse dispatch(mockwebserver3.RecordedRequest request) {
            return new mockwebserver3.MockResponse.Builder()
                .code(401)
                .body("{\"error\":{\"message\":\"Incorrect API key\"}}")
                .build();
          }
        });
    server.start();
    OpenAiTrainer trainer = trainerOnRunningServer(d -> {});

    ApplicationFailure failure =
        assertThrows(ApplicationFailure.class, () -> trainer.train(REQUEST, data(), beats::add));

    assertTrue(failure.isNonRetryable());
    assertEquals("FineTuningRejected", failure.getType());
    assertTrue(failure.getOriginalMessage().contains("401"));
    assertFalse(Files.exists(dir.resolve("records/run-1/round-0/fine-tuning-job.json")));
  }

  @Test
  void lastLossIsTheLatestReportedOne() {
    assertEquals(
        0.41,
        OpenAiTrainer.lastLoss(
            List.of(
                new FineTuningEvent("a", "start", null),
                new FineTuningEvent("b", "s10", 0.9),
                new FineTuningEvent("c", "s20", 0.41),
                new FineTuningEvent("d", "done", null))));
    assertEquals(null, OpenAiTrainer.lastLoss(List.of(new FineTuningEvent("a", "x", null))));
  }
}
