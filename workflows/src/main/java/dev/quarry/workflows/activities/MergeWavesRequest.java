package dev.quarry.workflows.activities;

import dev.quarry.core.artifacts.ArtifactRef;
import dev.quarry.core.config.ValidityConfig;
import dev.quarry.core.sandbox.Comparison;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A QueST candidate's solver waves so far (docs/adaptive-rollouts.md): merge them into one rollouts
 * and one execution artifact, bound the δ the whole budget can still end at, and say whether to
 * sample on.
 *
 * @param rollouts each wave's rollouts, in order
 * @param executions each wave's execution, in order; null for a wave none of whose rollouts exist
 * @param asked rollouts asked for over every wave
 * @param budget the fixed budget M
 * @param hardestLowerBound the lowest δ the prompt's current hardest other candidate can end at;
 *     null when no other candidate has a bound yet
 * @param width stop once δ's interval is at most this wide; 0 never
 * @param confidenceZ above 0: also stop once δ's interval at this confidence lies wholly below the
 *     hardest other candidate's ({@code hardestLowerBoundAtConfidence})
 */
public record MergeWavesRequest(
    String key,
    List<ArtifactRef> rollouts,
    List<ArtifactRef> executions,
    int asked,
    int budget,
    Double hardestLowerBound,
    double width,
    Comparison comparison,
    ValidityConfig validity,
    double confidenceZ,
    Double hardestLowerBoundAtConfidence) {
  public MergeWavesRequest {
    rollouts = List.copyOf(rollouts);
    executions = Collections.unmodifiableList(new ArrayList<>(executions));
  }
}
