package dev.quarry.workflows.sparq;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** SPARQ's bookkeeping: archive, scoring and keyed writes, on the workflows task queue. */
@ActivityInterface
public interface SparqActivities {
  @ActivityMethod(name = "SparqPrepareRound")
  PreparedRound prepareRound(PrepareRoundRequest request);

  @ActivityMethod(name = "SparqScoreSolveRate")
  SolveRateScore score(ScoreSolveRateRequest request);

  @ActivityMethod(name = "SparqRecordProblem")
  void recordProblem(SparqProblemRecord record);

  @ActivityMethod(name = "SparqUpdateArchive")
  ArchiveUpdate updateArchive(UpdateArchiveRequest request);

  @ActivityMethod(name = "SparqWriteShard")
  SparqShard writeShard(SparqShardRequest request);
}
