package dev.quarry.activities.training;

import dev.quarry.activities.store.AtomicFiles;
import dev.quarry.activities.store.FileNames;
import dev.quarry.activities.store.Json;
import dev.quarry.activities.support.Failures;
import dev.quarry.workflows.activities.GeneratorVersion;
import dev.quarry.workflows.activities.RetrainRequest;
import dev.quarry.workflows.activities.TrainingActivities;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The retrain step, record-only for now: it files the round's RFT export as the training data of
 * the next generator version and registers that version with its parent. No trainer backend is
 * configured yet, so the next version serves the same model; real backends plug in here.
 */
public final class TrainingActivitiesImpl implements TrainingActivities {
  public static final String BACKEND = "record-only";
  private final Path registry;

  public TrainingActivitiesImpl(Path registry) {
    this.registry = registry;
  }

  @Override
  public GeneratorVersion retrain(RetrainRequest request) {
    String id = "v" + (request.round() + 1);
    Path dir = registry.resolve(FileNames.safe(request.runId())).resolve(id);
    try {
      Files.createDirectories(dir);
      Path data = dir.resolve("training-data.rft.jsonl");
      Files.copy(Path.of(request.rftFile()), data, StandardCopyOption.REPLACE_EXISTING);
      GeneratorVersion version =
          new GeneratorVersion(
              id,
              request.current().id(),
              request.current().model(),
              data.toString(),
              BACKEND,
              request.round());
      AtomicFiles.write(dir.resolve("version.json"), Json.bytes(version));
      return version;
    } catch (IOException e) {
      throw Failures.infrastructure("ModelRegistryUnavailable", e.getMessage(), e);
    }
  }
}
