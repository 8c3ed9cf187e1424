package dev.quarry.activities.training.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.DockerClient;
import dev.quarry.activities.sandbox.DockerClients;
import dev.quarry.activities.sandbox.SandboxSettings;
import dev.quarry.activities.store.Json;
import dev.quarry.activities.training.TrainingActivitiesImpl;
import dev.quarry.core.config.TrainerBackend;
import dev.quarry.core.config.TrainerConfig;
import dev.quarry.workflows.activities.GeneratorVersion;
import dev.quarry.workflows.activities.RetrainRequest;
import dev.quarry.workflows.activities.TrainingActivities;
import io.temporal.activity.ActivityOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs a real trainer image (built from the local sandbox image) on the Docker engine. */
class DockerContainerTrainerTest {
  private static final String IMAGE = "quarry-test-trainer:latest";
  private static DockerClient docker;

  @TempDir Path dir;

  @BeforeAll
  static void buildImage() throws Exception {
    Path context = Path.of("src/test/resources/trainer-image");
    Process build =
        new ProcessBuilder("docker", "build", "-q", "-t", IMAGE, context.toString())
            .redirectErrorStream(true)
            .start();
    String output = new String(build.getInputStream().readAllBytes());
    assertEquals(0, build.waitFor(), "docker build failed: " + output);
    docker = DockerClients.connect(SandboxSettings.defaults());
  }

  private Path data(int rows) throws Exception {
    Path in = Files.createDirectories(dir.resolve("in"));
    Path file = in.resolve("round-0.rft.jsonl");
    Files.writeString(file, "{\"messages\":[]}\n".repeat(rows));
    return file;
  }

  private Path output() throws Exception {
    Path out = Files.createDirectories(dir.resolve("out"));
    // The image runs as nobody; the output mount must be writable for it.
    Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rwxrwxrwx"));
    return out;
  }

  @Test
  void trainsOnTheMountedDataAndReadsTheManifest() throws Exception {
    List<List<String>> beats = new CopyOnWriteArrayList<>();
    ContainerTrainer trainer = new ContainerTrainer(docker, Map.of("MODEL_NAME", "gen-lora")::get);

    TrainedModel model =
        trainer.train(
            new ContainerJob(IMAGE, List.of(), 0, List.of("MODEL_NAME")),
            data(3),
            output(),
            beats::add);

    assertEquals("gen-lora-3", model.model(), "3 rows read, name passed through the environment");
    assertEquals(0.25, model.loss(), 1e-12); // 1 / (3 + 1)
    assertFalse(beats.isEmpty());
    assertTrue(beats.get(beats.size() - 1).contains("step 3/3 rows=3"), beats.toString());
  }

  @Test
  void aNonZeroExitIsAFinalFailureWithTheLogTail() throws Exception {
    ContainerTrainer trainer = new ContainerTrainer(docker, name -> null);
    ContainerJob job =
        new ContainerJob(
            IMAGE,
            List.of(
                "python3",
                "-c",
                "import sys; print('out of memory at step 7', flush=True); sys.exit(3)"),
            0,
            List.of());

    ApplicationFailure failure =
        assertThrows(
            ApplicationFailure.class, () -> trainer.train(job, data(1), output(), beats -> {}));

    assertTrue(failure.isNonRetryable());
    assertTrue(failure.getOriginalMessage().contains("status 3"), failure.getOriginalMessage());
    assertTrue(
        failure.getOriginalMessage().contains("out of memory at step 7"),
        failure.getOriginalMessage());
  }

  @Test
  void aTrainerThatWritesNoManifestFails() throws Exception {
    ContainerTrainer trainer = new ContainerTrainer(docker, name -> null);
    ContainerJob job =
        new ContainerJob(IMAGE, List.of("python3", "-c", "print('done')"), 0, List.of());

    ApplicationFailure failure =
        assertThrows(
            ApplicationFailure.class, () -> trainer.train(job, data(1), output(), beats -> {}));

    assertTrue(failure.getOriginalMessage().contains("model.json"), failure.getOriginalMessage());
  }

  @Test
  void theRetrainActivityWithTheContainerBackendRegistersTheTrainedModel() throws Exception {
    var env = TestActivityEnvironment.newInstance();
    try {
      env.registerActivitiesImplementations(
          new TrainingActivitiesImpl(dir.resolve("registry"), Map.of("MODEL_NAME", "gen")::get));
      var activity =
          env.newActivityStub(
              TrainingActivities.class,
              ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofMinutes(2)).build());
      var trainer =
          new TrainerConfig(
              TrainerBackend.CONTAINER,
              null,
              new TrainerConfig.Container(IMAGE, List.of(), "0", List.of("MODEL_NAME")),
              null);
      var base = new GeneratorVersion("v0", null, "base", null, "base", 0, null);

      var version =
          activity.retrain(new RetrainRequest("run-c", 0, data(2).toString(), 2, base, trainer));

      assertEquals("gen-2", version.model());
      assertEquals("container", version.backend());
      assertEquals("v0", version.parent());
      var entry = Json.MAPPER.readTree(dir.resolve("registry/run-c/v1/version.json").toFile());
      assertEquals(1.0 / 3, entry.path("metrics").path("trainLoss").asDouble(), 1e-12);
    } finally {
      env.close();
    }
  }
}
