package dev.quarry.workflows.activities;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * The retrain step served by the Python trainer worker (trainer/quarry_trainer), on its own task
 * queue ({@code trainer.python.taskQueue}). Temporal gives a queue's tasks to any of its pollers,
 * and every poller must serve every activity type sent there: the Java train worker serves {@code
 * RetrainGenerator} on {@code quarry-train}, so this type and its queue are separate. There is no
 * Java implementation.
 */
@ActivityInterface
public interface PythonTrainingActivities {
  String TYPE = "TrainLoraGenerator";

  /**
   * LoRA training on the round's export, merged into a new GGUF in the model registry; the returned
   * version's model is its registry name ({@code registry/RUN/vN}), which the embedded LLM server
   * serves. With no rows to train on, the version keeps the current model and its metrics say why
   * ({@code skipped}).
   */
  @ActivityMethod(name = TYPE)
  GeneratorVersion trainLora(RetrainRequest request);
}
