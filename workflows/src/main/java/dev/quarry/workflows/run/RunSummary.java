package dev.quarry.workflows.run;

import dev.quarry.workflows.Usage;
import dev.quarry.workflows.activities.GeneratorVersion;
import dev.quarry.workflows.round.RoundResult;
import java.util.List;

/**
 * The result of a finished run.
 *
 * @param roundsCompleted every round the run completed; {@code rounds} holds only the last {@link
 *     RunState#KEPT_ROUNDS} of them, and {@code versions} the last as many generator versions
 * @param rows dataset rows over every round
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
