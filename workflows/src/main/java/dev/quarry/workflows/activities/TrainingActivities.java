package dev.quarry.workflows.activities;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** The retrain step between rounds. Runs on the train task queue. */
@ActivityInterface
public interface TrainingActivities {
  @ActivityMethod(name = "RetrainGenerator")
  GeneratorVersion retrain(RetrainRequest request);
}
