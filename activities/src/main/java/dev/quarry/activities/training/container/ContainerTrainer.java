package dev.quarry.activities.training.container;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.DeviceRequest;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Volume;
import dev.quarry.activities.store.Json;
import dev.quarry.activities.support.CancelHooks;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Runs a trainer image: the round's training data mounted read-only at {@code /data}, a fresh
 * output directory at {@code /output}. The container's log lines stream into {@code heartbeat} (the
 * last few, so a stuck trainer is visible in the Temporal UI; the activity sends them on a timer,
 * so a quiet epoch still heartbeats); a non-zero exit status is a final failure carrying the log
 * tail; on success {@code /output/model.json} names the model. A cancelled activity kills the
 * container ({@link CancelHooks}); it is removed however the call ends.
 */
public final class ContainerTrainer {
  static final int TAIL = 20;
  private final DockerClient docker;
  private final Function<String, String> environment;

  public ContainerTrainer(DockerClient docker, Function<String, String> environment) {
    this.docker = docker;
    this.environment = environment;
  }

  public TrainedModel train(
      ContainerJob job, Path trainingData, Path outputDir, Consumer<List<String>> heartbeat) {
    try {
      Files.createDirectories(outputDir);
    } catch (IOException e) {
      throw ApplicationFailure.newFailureWithCause(e.getMessage(), "TrainerOutputUnavailable", e);
    }
    HostConfig host =
        HostConfig.newHostConfig()
            .withBinds(
                new Bind(
                    trainingData.toAbsolutePath().getParent().toString(),
                    new Volume("/data"),
                    AccessMode.ro),
                new Bind(
                    outputDir.toAbsolutePath().toString(), new Volume("/output"), AccessMode.rw));
    if (job.gpus() != 0) {
      host.withDeviceRequests(
          List.of(
              new DeviceRequest().withCount(job.gpus()).withCapabilities(List.of(List.of("gpu")))));
    }
    List<String> env = new ArrayList<>();
    env.add("QUARRY_TRAINING_DATA=/data/" + trainingData.getFileName());
    for (String name : job.envNames()) {
      String value = environment.apply(name);
      if (value != null) {
        env.add(name + "=" + value);
      }
    }
    CreateContainerCmd create =
        docker.createContainerCmd(job.image()).withHostConfig(host).withEnv(env);
    if (!job.command().isEmpty()) {
      create.withCmd(job.command());
    }
    String id = create.exec().getId();
    Deque<String> tail = new ArrayDeque<>();
    // A cancelled activity kills the trainer at once (the interrupt alone reaches only this
    // thread).
    CancelHooks.Registration kill = CancelHooks.onCancel(() -> docker.killContainerCmd(id).exec());
    try {
      docker.startContainerCmd(id).exec();
      try (var logs =
          docker
              .logContainerCmd(id)
              .withStdOut(true)
              .withStdErr(true)
              .withFollowStream(true)
              .exec(
                  new ResultCallback.Adapter<Frame>() {
                    @Override
                    public void onNext(Frame frame) {
                      String text = new String(frame.getPayload(), StandardCharsets.UTF_8);
                      List<String> snapshot;
                      synchronized (tail) {
                        for (String line : text.split("\n")) {
                          if (!line.isBlank()) {
                            tail.addLast(line);
                            if (tail.size() > TAIL) {
                              tail.removeFirst();
                            }
                          }
                        }
                        snapshot = List.copyOf(tail);
                      }
                      heartbeat.accept(snapshot);
                    }
                  })) {
        int status = docker.waitContainerCmd(id).start().awaitStatusCode();
        logs.awaitCompletion();
        if (status != 0) {
          List<String> last;
          synchronized (tail) {
            last = List.copyOf(tail);
          }
          throw ApplicationFailure.newNonRetryableFailure(
              "trainer image "
                  + job.image()
                  + " exited with status "
                  + status
                  + "; last log lines:\n"
                  + String.join("\n", last),
              "TrainerFailed");
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ApplicationFailure.newFailureWithCause(
          "interrupted waiting for the trainer", "TrainerInterrupted", e);
    } catch (IOException e) {
      throw ApplicationFailure.newFailureWithCause(e.getMessage(), "TrainerLogsUnavailable", e);
    } finally {
      kill.close();
      remove(id);
    }
    return manifest(job, outputDir.resolve("model.json"));
  }

  /**
   * Kills and removes the container, also when this thread was interrupted (the activity was
   * cancelled): the engine call runs with the interrupt cleared, which is then restored.
   */
  private void remove(String id) {
    boolean interrupted = Thread.interrupted();
    try {
      docker.removeContainerCmd(id).withForce(true).exec();
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static TrainedModel manifest(ContainerJob job, Path file) {
    if (!Files.exists(file)) {
      throw ApplicationFailure.newNonRetryableFailure(
          "trainer image "
              + job.image()
              + " exited 0 but wrote no /output/model.json;"
              + " it must write {\"model\": NAME, \"metrics\": {\"loss\": X}}",
          "TrainerFailed");
    }
    try {
      JsonNode node = Json.MAPPER.readTree(file.toFile());
      String model = node.path("model").asText("");
      if (model.isBlank()) {
        throw ApplicationFailure.newNonRetryableFailure(
            "/output/model.json of " + job.image() + " names no \"model\"", "TrainerFailed");
      }
      JsonNode loss = node.path("metrics").path("loss");
      return new TrainedModel(model, loss.isNumber() ? loss.asDouble() : null);
    } catch (IOException e) {
      throw ApplicationFailure.newNonRetryableFailure(
          "/output/model.json of " + job.image() + " is not JSON: " + e.getMessage(),
          "TrainerFailed");
    }
  }
}
