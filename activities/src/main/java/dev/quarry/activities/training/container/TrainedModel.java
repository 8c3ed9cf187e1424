package dev.quarry.activities.training.container;

/**
 * What a trainer container wrote to {@code /output/model.json}.
 *
 * @param model the name (or path) the generator endpoint serves the new version under
 * @param loss the final training loss; null when the trainer reported none
 */
public record TrainedModel(String model, Double loss) {}
