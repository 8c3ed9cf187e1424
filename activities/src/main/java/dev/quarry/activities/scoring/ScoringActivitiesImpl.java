package dev.quarry.activities.scoring;

import dev.quarry.activities.store.FileArtifactStore;
import dev.quarry.activities.support.Failures;
import dev.quarry.core.artifacts.ExecutionArtifact;
import dev.quarry.core.difficulty.DifficultyScore;
import dev.quarry.core.difficulty.SelfConsistency;
import dev.quarry.workflows.activities.ScoreRequest;
import dev.quarry.workflows.activities.ScoringActivities;
import java.io.IOException;

/** Scores a candidate's δ from its stored execution outcomes. */
public final class ScoringActivitiesImpl implements ScoringActivities {
  private final FileArtifactStore store;

  public ScoringActivitiesImpl(FileArtifactStore store) {
    this.store = store;
  }

  @Override
  public DifficultyScore score(ScoreRequest request) {
    ExecutionArtifact execution;
    try {
      execution = store.getJson(request.execution(), ExecutionArtifact.class);
    } catch (IOException e) {
      throw Failures.infrastructure("ArtifactStoreUnavailable", e.getMessage(), e);
    }
    return SelfConsistency.score(
        OutputMatrix.of(execution, request.comparison()), request.validity().toRule());
  }
}
