package dev.quarry.workflows.activities;

import dev.quarry.core.artifacts.ArtifactRef;
import java.util.Map;

/**
 * A QueST candidate's waves merged, and what to do next.
 *
 * @param rollouts every wave's rollouts as one artifact, with how many were asked for and why
 *     sampling stopped (CONTINUE while it goes on)
 * @param execution every wave's execution as one artifact, programs numbered across the waves
 * @param deltaLow the lowest δ the whole budget can still end at; null while no bound exists (an
 *     input may still change whether it counts)
 * @param deltaHigh the highest; null likewise
 * @param stopReason {@code StopReason}'s name: CONTINUE, or why to stop
 * @param deltaLowAtConfidence the lower end of δ's interval at the request's confidence; null
 *     without one (confidence off, or no bound yet)
 */
public record WavesSoFar(
    ArtifactRef rollouts,
    ArtifactRef execution,
    Map<String, Integer> verdictCounts,
    Double deltaLow,
    Double deltaHigh,
    String stopReason,
    Double deltaLowAtConfidence) {
  public WavesSoFar {
    verdictCounts = verdictCounts == null ? Map.of() : Map.copyOf(verdictCounts);
  }
}
