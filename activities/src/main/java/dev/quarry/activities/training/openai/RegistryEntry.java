package dev.quarry.activities.training.openai;

import dev.quarry.workflows.activities.GeneratorVersion;
import java.util.Map;

/**
 * A generator version as the model registry files it (version.json): the version plus how it was
 * trained and what training measured.
 *
 * @param jobId the provider's fine-tuning job
 * @param metrics e.g. {@code trainLoss}, the last training loss the job reported
 */
public record RegistryEntry(
    GeneratorVersion version,
    String jobId,
    Map<String, Object> hyperparameters,
    Map<String, Double> metrics) {}
