package dev.quarry.activities.training.openai;

import dev.quarry.activities.store.AtomicFiles;
import dev.quarry.activities.store.FileNames;
import dev.quarry.activities.store.Json;
import dev.quarry.activities.store.RecordStore;
import dev.quarry.activities.support.Failures;
import dev.quarry.core.config.TrainerConfig;
import dev.quarry.core.config.TrainingData;
import dev.quarry.workflows.activities.GeneratorVersion;
import dev.quarry.workflows.activities.RetrainRequest;
import io.temporal.client.ActivityCompletionException;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Retrains the generator through an OpenAI-compatible fine-tuning API, durably: the job is recorded
 * under (run, round) before any waiting, so an attempt that dies while polling is followed by one
 * that finds the record and resumes polling the same job. A second job for the same round is never
 * started.
 */
public final class OpenAiTrainer {
  public static final String BACKEND = "openai";

  /** Waits between polls; the activity passes Thread::sleep, tests pass something instant. */
  @FunctionalInterface
  public interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;
  }

  private final FineTuningApi api;
  private final TrainerConfig.OpenAi config;
  private final RecordStore jobs;
  private final Path registry;
  private final Sleeper sleeper;

  public OpenAiTrainer(
      FineTuningApi api,
      TrainerConfig.OpenAi config,
      RecordStore jobs,
      Path registry,
      Sleeper sleeper) {
    this.api = api;
    this.config = config;
    this.jobs = jobs;
    this.registry = registry;
    this.sleeper = sleeper;
  }

  /**
   * Trains on {@code trainingFile} (the round's RFT or DPO export) and registers the new version.
   *
   * @param heartbeat receives progress after every poll; in an activity it is the Temporal
   *     heartbeat, whose cancellation exception makes Quarry cancel the provider's job too
   */
  public GeneratorVersion train(
      RetrainRequest request, Path trainingFile, Consumer<FineTuningProgress> heartbeat) {
    String key = FileNames.safe(request.runId()) + "/round-" + request.round() + "/fine-tuning-job";
    FineTuningRecord record = startOnce(key, trainingFile);
    FineTuningJob job = await(record.jobId(), heartbeat);
    return switch (job.status()) {
      case "succeeded" -> register(request, trainingFile, job);
      case "cancelled" ->
          throw ApplicationFailure.newNonRetryableFailure(
              "fine-tuning job " + job.id() + " was cancelled at the provider",
              "FineTuningCancelled");
      default ->
          throw ApplicationFailure.newNonRetryableFailure(
              "fine-tuning job "
                  + job.id()
                  + " failed: "
                  + (job.error() == null ? "(the provider gave no reason)" : job.error()),
              "FineTuningFailed");
    };
  }

  private FineTuningRecord startOnce(String key, Path trainingFile) {
    try {
      var existing = jobs.read(key, FineTuningRecord.class);
      if (existing.isPresent()) {
        return existing.get();
      }
      String fileId = api.uploadFile(trainingFile);
      FineTuningJob job =
          api.createJob(
              config.baseModel(),
              fileId,
              config.suffix(),
              config.hyperparameters(),
              config.data() == TrainingData.DPO);
      // Written before the first poll: from here on every attempt resumes this job.
      FineTuningRecord record = new FineTuningRecord(job.id(), fileId, config.baseModel());
      jobs.write(key, record);
      return record;
    } catch (IOException e) {
      throw Failures.infrastructure("TrainingRecordUnavailable", e.getMessage(), e);
    } catch (FineTuningApiException e) {
      throw apiFailure(e);
    }
  }

  private FineTuningJob await(String jobId, Consumer<FineTuningProgress> heartbeat) {
    while (true) {
      FineTuningJob job;
      List<FineTuningEvent> events;
      try {
        job = api.getJob(jobId);
        events = api.events(jobId);
      } catch (FineTuningApiException e) {
        throw apiFailure(e);
      }
      String last = events.isEmpty() ? null : events.get(events.size() - 1).message();
      try {
        heartbeat.accept(new FineTuningProgress(jobId, job.status(), last));
      } catch (ActivityCompletionException cancelled) {
        // The run was cancelled (or this attempt timed out): do not leave the provider training.
        api.cancel(jobId);
        throw cancelled;
      }
      if (job.finished()) {
        return job;
      }
      try {
        sleeper.sleep(Duration.ofSeconds(config.pollSeconds()));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw Failures.infrastructure(
            "TrainingInterrupted", "interrupted while polling " + jobId, e);
      }
    }
  }

  private GeneratorVersion register(RetrainRequest request, Path trainingFile, FineTuningJob job) {
    if (job.fineTunedModel() == null || job.fineTunedModel().isBlank()) {
      throw ApplicationFailure.newNonRetryableFailure(
          "fine-tuning job " + job.id() + " succeeded but named no fine_tuned_model",
          "FineTuningFailed");
    }
    String id = "v" + (request.round() + 1);
    Path dir = registry.resolve(FileNames.safe(request.runId())).resolve(id);
    try {
      Files.createDirectories(dir);
      Path data = dir.resolve("training-data." + config.data().wireName() + ".jsonl");
      Files.copy(trainingFile, data, StandardCopyOption.REPLACE_EXISTING);
      Map<String, Double> metrics = new TreeMap<>();
      Double loss = lastLoss(api.events(job.id()));
      if (loss != null) {
        metrics.put("trainLoss", loss);
      }
      GeneratorVersion version =
          new GeneratorVersion(
              id,
              request.current().id(),
              job.fineTunedModel(),
              data.toString(),
              BACKEND,
              request.round(),
              Map.copyOf(metrics));
      AtomicFiles.write(
          dir.resolve("version.json"),
          Json.bytes(new RegistryEntry(version, job.id(), config.hyperparameters(), metrics)));
      return version;
    } catch (IOException e) {
      throw Failures.infrastructure("ModelRegistryUnavailable", e.getMessage(), e);
    } catch (FineTuningApiException e) {
      throw apiFailure(e);
    }
  }

  /** The training loss of the latest metrics event, or null when the job reported none. */
  static Double lastLoss(List<FineTuningEvent> oldestFirst) {
    Double loss = null;
    for (FineTuningEvent e : oldestFirst) {
      if (e.trainLoss() != null) {
        loss = e.trainLoss();
      }
    }
    return loss;
  }

  private static ApplicationFailure apiFailure(FineTuningApiException e) {
    if (e.rejected()) {
      return ApplicationFailure.newNonRetryableFailureWithCause(
          e.getMessage() + " (check trainer.openai: endpoint, baseModel, hyperparameters, key)",
          "FineTuningRejected",
          e);
    }
    return Failures.infrastructure("FineTuningApiUnavailable", e.getMessage(), e);
  }
}
