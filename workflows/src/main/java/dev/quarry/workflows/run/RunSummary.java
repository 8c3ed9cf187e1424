package dev.quarry.workflows.run;

import dev.quarry.workflows.Usage;
import dev.quarry.workflows.activities.GeneratorVersion;
import dev.quarry.workflows.round.RoundResult;
import java.util.List;

/**
 * The result of a finished run.
 *
 * @param stopReason why the run ended before its last round (a stop signal, a budget), or null
 */
public record RunSummary(
    String runId,
    int roundsCompleted,
    boolean stoppedEarly,
    int rows,
    int candidates,
    int invalidCandidates,
    List<RoundResult> rounds,
    List<GeneratorVersion> versions,
    Usage usage,
    String stopReason) {}
