package dev.quarry.workflows.run;

import dev.quarry.workflows.TokenUsage;
import dev.quarry.workflows.activities.GeneratorVersion;
import dev.quarry.workflows.round.RoundResult;
import java.util.List;

/** The result of a finished run. */
public record RunSummary(
    String runId,
    int roundsCompleted,
    boolean stoppedEarly,
    int rows,
    int candidates,
    int invalidCandidates,
    List<RoundResult> rounds,
    List<GeneratorVersion> versions,
    TokenUsage usage) {}
