package dev.quarry.workflows.activities;

import java.util.Map;

/**
 * One version of the generator model.
 *
 * @param parent the version it was trained from; null for the base model
 * @param trainingData the RFT file it was (or is to be) trained on; null for the base model
 * @param backend which trainer produced it
 * @param metrics what training measured (e.g. {@code lossBefore}, {@code lossAfter}, {@code sha256}
 *     of the model file, or {@code skipped} with the reason); null when nothing was measured, as in
 *     versions recorded before this field existed
 */
public record GeneratorVersion(
    String id,
    String parent,
    String model,
    String trainingData,
    String backend,
    int round,
    Map<String, Object> metrics) {

  /** A numeric metric, or null when it is absent or not a number. */
  public Double metric(String name) {
    return metrics != null && metrics.get(name) instanceof Number n ? n.doubleValue() : null;
  }
}
