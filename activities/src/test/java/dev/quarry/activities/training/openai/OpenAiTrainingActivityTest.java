package dev.quarry.activities.training.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quarry.activities.training.TrainingActivitiesImpl;
import dev.quarry.core.config.TrainerBackend;
import dev.quarry.core.config.TrainerConfig;
import dev.quarry.core.config.TrainingData;
import dev.quarry.workflows.activities.GeneratorVersion;
import dev.quarry.workflows.activities.RetrainRequest;
import dev.quarry.workflows.activities.TrainingActivities;
import io.temporal.activity.ActivityOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The retrain activity with the openai backend, run by Temporal's activity test environment. */
class OpenAiTrainingActivityTest {
  private static final GeneratorVersion BASE =
      new GeneratorVersion("v0", null, "base-model", null, "base", 0, null);

  @TempDir Path dir;
  private final MockWebServer server = new MockWebServer();
  private TestActivityEnvironment env;

  @AfterEach
  void stop() throws Exception {
    if (env != null) {
      env.close();
    }
    server.close();
  }

  private TrainingActivities activity(Map<String, String> environment) throws Exception {
    env = TestActivityEnvironment.newInstance();
    env.registerActivitiesImplementations(
        new TrainingActivitiesImpl(dir.resolve("registry"), environment::get));
    return env.newActivityStub(
        TrainingActivities.class,
        ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofMinutes(1)).build());
  }

  private RetrainRequest request() throws Exception {
    Path rft = dir.resolve("round-0.rft.jsonl");
    Files.writeString(rft, "{\"messages\":[]}\n");
    TrainerConfig trainer =
        new TrainerConfig(
            TrainerBackend.OPENAI,
            new TrainerConfig.OpenAi(
                server.url("/v1/").toString(),
                "FT_KEY",
                "base-model",
                "quarry",
                Map.of(),
                1,
                TrainingData.RFT),
            null,
            null);
    return new RetrainRequest("run-1", 0, rft.toString(), 1, BASE, trainer);
  }

  @Test
  void heartbeatsTheJobAndReturnsTheFineTunedVersion() throws Exception {
    var provider = new FakeFineTuningProvider(null, "running", "succeeded");
    server.setDispatcher(provider);
    server.start();
    List<FineTuningProgress> beats = new CopyOnWriteArrayList<>();
    TrainingActivities activity = activity(Map.of("FT_KEY", "sk-test"));
    env.setActivityHeartbeatListener(FineTuningProgress.class, beats::add);

    GeneratorVersion version = activity.retrain(request());

    assertEquals("ft:base-model:quarry:abc123", version.model());
    assertEquals("openai", version.backend());
    // The SDK throttles heartbeats, so only the first is certain to reach the listener.
    assertEquals("running", beats.get(0).status());
    assertEquals(FakeFineTuningProvider.JOB, beats.get(0).jobId());
    assertTrue(
        Files.exists(dir.resolve("registry/.fine-tuning-jobs/run-1/round-0/fine-tuning-job.json")));
  }

  @Test
  void aMissingKeyVariableIsAConfigErrorNamingIt() throws Exception {
    server.start();
    TrainingActivities activity = activity(Map.of());

    ActivityFailure failure =
        assertThrows(ActivityFailure.class, () -> activity.retrain(request()));

    ApplicationFailure cause = (ApplicationFailure) failure.getCause();
    assertTrue(cause.isNonRetryable());
    assertTrue(cause.getOriginalMessage().contains("FT_KEY"), cause.getOriginalMessage());
    assertEquals(0, server.getRequestCount(), "nothing is sent without a key");
  }
}
