package dev.quarry.workflows.activities;

import dev.quarry.core.difficulty.DifficultyScore;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** Difficulty scoring (QueST δ) of executed candidates. */
@ActivityInterface
public interface ScoringActivities {
  @ActivityMethod(name = "ScoreCandidate")
  DifficultyScore score(ScoreRequest request);

  /** Adaptive rollouts: one candidate's waves so far merged, its δ bounded, whether to go on. */
  @ActivityMethod(name = "MergeRolloutWaves")
  WavesSoFar mergeWaves(MergeWavesRequest request);
}
