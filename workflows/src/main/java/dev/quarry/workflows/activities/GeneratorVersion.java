package dev.quarry.workflows.activities;

/**
 * One version of the generator model.
 *
 * @param parent the version it was trained from; null for the base model
 * @param trainingData the RFT file it was (or is to be) trained on; null for the base model
 * @param backend which trainer produced it
 */
public record GeneratorVersion(
    String id, String parent, String model, String trainingData, String backend, int round) {}
