package dev.quarry.activities.scoring;

import dev.quarry.activities.store.FileArtifactStore;
import dev.quarry.activities.support.Failures;
import dev.quarry.core.adaptive.DeltaBounds;
import dev.quarry.core.adaptive.HardestCandidateRule;
import dev.quarry.core.adaptive.Interval;
import dev.quarry.core.adaptive.StopReason;
import dev.quarry.core.artifacts.ArtifactRef;
import dev.quarry.core.artifacts.ExecutionArtifact;
import dev.quarry.core.artifacts.RolloutsArtifact;
import dev.quarry.core.artifacts.SamplingRecord;
import dev.quarry.core.difficulty.DifficultyScore;
import dev.quarry.core.difficulty.SelfConsistency;
import dev.quarry.core.difficulty.ValidityRule;
import dev.quarry.core.sandbox.ExecutionOutcome;
import dev.quarry.workflows.activities.MergeWavesRequest;
import dev.quarry.workflows.activities.ScoreRequest;
import dev.quarry.workflows.activities.ScoringActivities;
import dev.quarry.workflows.activities.WavesSoFar;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeMap;

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

  @Override
  public WavesSoFar mergeWaves(MergeWavesRequest request) {
    try {
      List<String> programs = new ArrayList<>();
      List<String> raw = new ArrayList<>();
      List<SamplingRecord> sampling = new ArrayList<>();
      List<String> missing = new ArrayList<>();
      List<ExecutionOutcome> outcomes = new ArrayList<>();
      for (int wave = 0; wave < request.rollouts().size(); wave++) {
        RolloutsArtifact rollouts =
            store.getJson(request.rollouts().get(wave), RolloutsArtifact.class);
        int offset = programs.size();
        programs.addAll(rollouts.programs());
        raw.addAll(rollouts.rawReplies());
        sampling.addAll(rollouts.sampling());
        missing.addAll(rollouts.missing());
        ArtifactRef executionRef =
            wave < request.executions().size() ? request.executions().get(wave) : null;
        if (executionRef != null) {
          // Programs are numbered across the waves, in the order they were asked for.
          for (ExecutionOutcome o :
              store.getJson(executionRef, ExecutionArtifact.class).outcomes()) {
            outcomes.add(
                new ExecutionOutcome(
                    o.programIndex() + offset,
                    o.inputIndex(),
                    o.verdict(),
                    o.stdout(),
                    o.stderrTail(),
                    o.exitCode(),
                    o.wallSeconds()));
          }
        }
      }
      ExecutionArtifact execution = new ExecutionArtifact(outcomes, request.comparison());
      int remaining = Math.max(0, request.budget() - request.asked());
      ValidityRule rule = request.validity().toRule();
      // No bound while δ may still be invalid: too few replies exist, or an input may not count
      // yet.
      Optional<Interval> delta =
          programs.size() < rule.minReplies()
              ? Optional.empty()
              : DeltaBounds.of(OutputMatrix.of(execution, request.comparison()), remaining, rule);
      StopReason stop;
      if (remaining == 0) {
        stop = StopReason.BUDGET;
      } else if (delta.isEmpty()) {
        stop = StopReason.CONTINUE;
      } else {
        OptionalDouble hardest =
            request.hardestLowerBound() == null
                ? OptionalDouble.empty()
                : OptionalDouble.of(request.hardestLowerBound());
        stop = new HardestCandidateRule(request.width()).decide(delta.get(), remaining, hardest);
      }
      // At confidence (z > 0): the interval of the δ the solver tends to, compared with the
      // hardest other candidate's at the same confidence. Approximate, as docs/adaptive-rollouts.md
      // says.
      Optional<Interval> atConfidence =
          request.confidenceZ() > 0 && delta.isPresent()
              ? DeltaBounds.atConfidence(
                  OutputMatrix.of(execution, request.comparison()), request.confidenceZ(), rule)
              : Optional.empty();
      if (stop == StopReason.CONTINUE
          && atConfidence.isPresent()
          && request.hardestLowerBoundAtConfidence() != null
          && atConfidence.get().hi() < request.hardestLowerBoundAtConfidence()) {
        stop = StopReason.SETTLED_AT_CONFIDENCE;
      }
      Map<String, Integer> counts = new TreeMap<>();
      for (ExecutionOutcome outcome : outcomes) {
        counts.merge(outcome.verdict().name(), 1, Integer::sum);
      }
      ArtifactRef rolloutsRef =
          store.putJson(
              new RolloutsArtifact(programs, raw, sampling, missing, request.asked(), stop.name()));
      ArtifactRef executionRef = store.putJson(execution);
      return new WavesSoFar(
          rolloutsRef,
          executionRef,
          counts,
          delta.map(Interval::lo).orElse(null),
          delta.map(Interval::hi).orElse(null),
          stop.name(),
          atConfidence.map(Interval::lo).orElse(null));
    } catch (IOException e) {
      throw Failures.infrastructure("ArtifactStoreUnavailable", e.getMessage(), e);
    }
  }
}
