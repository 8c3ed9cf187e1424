package dev.quarry.workflows.scalequest;

import dev.quarry.workflows.activities.ShardRequest;
import dev.quarry.workflows.activities.ShardResult;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * Keyed writes of ScaleQuest data: question records, and the round's shard — the dataset, every
 * question with its filter outcomes, the QFT export ({@code rftFile}: prompt/completion rows of
 * kept questions) and the QPO preference pairs (round-N.dpo.jsonl). Idempotent.
 */
@ActivityInterface
public interface ScaleQuestDatasetActivities {
  @ActivityMethod(name = "RecordScaleQuestQuestion")
  void recordQuestion(QuestionRecord record);

  @ActivityMethod(name = "WriteScaleQuestShard")
  ShardResult writeShard(ShardRequest request);
}
