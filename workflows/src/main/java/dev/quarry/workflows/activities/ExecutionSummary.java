package dev.quarry.workflows.activities;

import dev.quarry.core.artifacts.ArtifactRef;
import java.util.Map;

/** Where the outcomes are stored, and how many executions ended in each verdict. */
public record ExecutionSummary(ArtifactRef execution, Map<String, Integer> verdictCounts) {
  public ExecutionSummary {
    verdictCounts = verdictCounts == null ? Map.of() : Map.copyOf(verdictCounts);
  }
}
