package dev.quarry.workflows.activities;

import dev.quarry.core.config.RunConfig;
import dev.quarry.workflows.prompt.PromptRecord;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import java.util.Map;

/** Durable, keyed writes of run data: prompt records and round shards. Idempotent. */
@ActivityInterface
public interface DatasetActivities {
  /** Checks a (partial) run config over the defaults; fails, not retried, when invalid. */
  @ActivityMethod(name = "ResolveRunConfig")
  RunConfig resolveConfig(Map<String, Object> config);

  @ActivityMethod(name = "RecordPrompt")
  void recordPrompt(PromptRecord record);

  @ActivityMethod(name = "WriteShard")
  ShardResult writeShard(ShardRequest request);
}
