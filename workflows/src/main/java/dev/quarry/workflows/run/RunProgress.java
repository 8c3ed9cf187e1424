package dev.quarry.workflows.run;

import dev.quarry.core.config.RunConfig;
import dev.quarry.workflows.Usage;
import dev.quarry.workflows.activities.GeneratorVersion;
import dev.quarry.workflows.round.RoundResult;
import java.util.List;

/**
 * A live view of a run. The running round's own counts come from its progress query, at {@code
 * currentRoundWorkflowId}.
 */
public record RunProgress(
    String runId,
    String stage,
    int currentRound,
    int totalRounds,
    String currentRoundWorkflowId,
    boolean paused,
    boolean stopAfterRound,
    List<RoundResult> completedRounds,
    List<GeneratorVersion> versions,
    Usage usage,
    RunConfig config) {}
