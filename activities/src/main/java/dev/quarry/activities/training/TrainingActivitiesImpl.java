package dev.quarry.activities.training;

import dev.quarry.activities.sandbox.DockerClients;
import dev.quarry.activities.sandbox.SandboxSettings;
import dev.quarry.activities.store.AtomicFiles;
import dev.quarry.activities.store.DatasetFiles;
import dev.quarry.activities.store.FileNames;
import dev.quarry.activities.store.Json;
import dev.quarry.activities.store.RecordStore;
import dev.quarry.activities.support.Failures;
import dev.quarry.activities.support.Heartbeats;
import dev.quarry.activities.training.container.ContainerJob;
import dev.quarry.activities.training.container.ContainerTrainer;
import dev.quarry.activities.training.container.TrainedModel;
import dev.quarry.activities.training.openai.FineTuningApi;
import dev.quarry.activities.training.openai.OpenAiTrainer;
import dev.quarry.activities.training.openai.RegistryEntry;
import dev.quarry.core.config.TrainerBackend;
import dev.quarry.core.config.TrainerConfig;
import dev.quarry.core.config.TrainingData;
import dev.quarry.workflows.activities.GeneratorVersion;
import dev.quarry.workflows.activities.RetrainRequest;
import dev.quarry.workflows.activities.TrainingActivities;
import io.temporal.activity.Activity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import okhttp3.OkHttpClient;

/**
 * The retrain step. With the {@code record} backend (the default) it files the round's RFT export
 * as the next version's training data and keeps the model; with {@code openai} it fine-tunes
 * through an OpenAI-compatible API, with {@code container} it runs a trainer image; either way the
 * next version serves the model the trainer produced.
 */
public final class TrainingActivitiesImpl implements TrainingActivities {
  public static final String BACKEND = "record-only";
  private final Path registry;
  private final Function<String, String> environment;
  private final DatasetFiles datasets;

  public TrainingActivitiesImpl(Path registry) {
    this(registry, System::getenv);
  }

  /**
   * @param environment looks up environment variables (the API key's variable named in config)
   */
  public TrainingActivitiesImpl(Path registry, Function<String, String> environment) {
    this(registry, environment, DatasetFiles.local());
  }

  /**
   * @param datasets where the dataset step wrote the round's files (this disk, or S3)
   */
  public TrainingActivitiesImpl(
      Path registry, Function<String, String> environment, DatasetFiles datasets) {
    this.registry = registry;
    this.environment = environment;
    this.datasets = datasets;
  }

  /** The round's RFT export, copied from the dataset store into this worker's registry. */
  private void copyRft(RetrainRequest request, Path to) throws IOException {
    Path rft = Path.of(request.rftFile());
    byte[] bytes =
        datasets
            .read(rft)
            .orElseThrow(
                () ->
                    new NoSuchFileException(
                        datasets.locate(rft),
                        null,
                        "the round's RFT export is not in the dataset store"));
    AtomicFiles.write(to, bytes);
  }

  @Override
  public GeneratorVersion retrain(RetrainRequest request) {
    TrainerConfig trainer = request.trainer();
    if (trainer == null || trainer.backend() == TrainerBackend.RECORD) {
      return recordOnly(request);
    }
    if (trainer.backend() == TrainerBackend.OPENAI) {
      return openAi(request, trainer.openai());
    }
    if (trainer.backend() == TrainerBackend.CONTAINER) {
      return container(request, trainer.container());
    }
    // python: the Python worker polls its own queue, so this activity never sees it.
    throw Failures.invalidConfig(
        "trainer.backend '"
            + trainer.backend().wireName()
            + "' is not run by this worker; use one of"
            + " record, openai, container here, or start the Python trainer worker for python");
  }

  private GeneratorVersion openAi(RetrainRequest request, TrainerConfig.OpenAi config) {
    Path trainingFile = trainingFile(request, config.data());
    String key = environment.apply(config.apiKeyEnv());
    if (key == null || key.isBlank()) {
      throw Failures.invalidConfig(
          "trainer.openai.apiKeyEnv names "
              + config.apiKeyEnv()
              + ", which is not set in the train worker's environment; export it there");
    }
    OkHttpClient http =
        new OkHttpClient.Builder()
            .callTimeout(Duration.ofMinutes(5))
            .readTimeout(Duration.ofMinutes(2))
            .build();
    OpenAiTrainer trainer =
        new OpenAiTrainer(
            new FineTuningApi(config.endpoint(), key, http),
            config,
            new RecordStore(registry.resolve(".fine-tuning-jobs")),
            registry,
            d -> Thread.sleep(d.toMillis()));
    var context = Activity.getExecutionContext();
    return trainer.train(request, trainingFile, context::heartbeat);
  }

  /**
   * The export the job trains on: the round's RFT file, or for {@code dpo} the QPO preference pairs
   * in OpenAI's format, which the dataset step writes next to it (ScaleQuest rounds only).
   */
  static Path trainingFile(RetrainRequest request, TrainingData data) {
    Path rft = Path.of(request.rftFile());
    if (data != TrainingData.DPO) {
      return rft;
    }
    String name = rft.getFileName().toString();
    Path pairs = rft.resolveSibling(name.replaceFirst("\\.rft\\.jsonl$", "") + ".dpo-openai.jsonl");
    if (!Files.exists(pairs)) {
      throw Failures.invalidConfig(
          "trainer.openai.data is dpo, but round "
              + request.round()
              + " wrote no preference pairs ("
              + pairs
              + " is missing): only method scalequest with qpoRewrites: true writes them;"
              + " use data: rft for other methods");
    }
    return pairs;
  }

  private GeneratorVersion container(RetrainRequest request, TrainerConfig.Container config) {
    String id = "v" + (request.round() + 1);
    Path dir = registry.resolve(FileNames.safe(request.runId())).resolve(id);
    try {
      Path in = Files.createDirectories(dir.resolve("input"));
      Path data = in.resolve("training-data.rft.jsonl");
      copyRft(request, data);
      // The trainer image may run as any user: it must be able to read its input (written 0600,
      // as every atomic write is) and to write its outputs.
      data.toFile().setReadable(true, false);
      Path output = Files.createDirectories(dir.resolve("output"));
      output.toFile().setWritable(true, false);
      ContainerTrainer trainer =
          new ContainerTrainer(DockerClients.connect(SandboxSettings.defaults()), environment);
      // Heartbeats on a timer carrying the trainer's last log lines: a quiet epoch longer than the
      // heartbeat timeout must not look like a dead worker (that started a second trainer).
      AtomicReference<List<String>> tail =
          new AtomicReference<>(List.of("starting " + config.image()));
      ContainerJob job =
          new ContainerJob(config.image(), config.command(), config.gpuCount(), config.env());
      TrainedModel trained =
          Heartbeats.during(tail::get, () -> trainer.train(job, data, output, tail::set));
      Map<String, Double> metrics = new TreeMap<>();
      if (trained.loss() != null) {
        metrics.put("trainLoss", trained.loss());
      }
      GeneratorVersion version =
          new GeneratorVersion(
              id,
              request.current().id(),
              trained.model(),
              data.toString(),
              "container",
              request.round(),
              Map.copyOf(metrics));
      AtomicFiles.write(
          dir.resolve("version.json"),
          Json.bytes(new RegistryEntry(version, null, Map.of(), metrics)));
      return version;
    } catch (IOException e) {
      throw Failures.infrastructure("ModelRegistryUnavailable", e.getMessage(), e);
    }
  }

  private GeneratorVersion recordOnly(RetrainRequest request) {
    String id = "v" + (request.round() + 1);
    Path dir = registry.resolve(FileNames.safe(request.runId())).resolve(id);
    try {
      Files.createDirectories(dir);
      Path data = dir.resolve("training-data.rft.jsonl");
      copyRft(request, data);
      GeneratorVersion version =
          new GeneratorVersion(
              id,
              request.current().id(),
              request.current().model(),
              data.toString(),
              BACKEND,
              request.round(),
              null);
      AtomicFiles.write(dir.resolve("version.json"), Json.bytes(version));
      return version;
    } catch (IOException e) {
      throw Failures.infrastructure("ModelRegistryUnavailable", e.getMessage(), e);
    }
  }
}
