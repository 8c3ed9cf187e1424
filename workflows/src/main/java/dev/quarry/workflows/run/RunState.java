package dev.quarry.workflows.run;

import dev.quarry.core.config.RunConfig;
import dev.quarry.workflows.Usage;
import dev.quarry.workflows.activities.GeneratorVersion;
import dev.quarry.workflows.round.RoundResult;
import java.util.ArrayList;
import java.util.List;

/** What a run carries from one round to the next across continue-as-new. */
public record RunState(
    String runId,
    RunConfig config,
    int nextRound,
    List<GeneratorVersion> versions,
    List<RoundResult> rounds,
    boolean paused,
    boolean stopAfterRound,
    Usage usage,
    String stopReason) {

  public RunState {
    versions = versions == null ? List.of() : List.copyOf(versions);
    rounds = rounds == null ? List.of() : List.copyOf(rounds);
  }

  public static RunState initial(String runId, RunConfig config) {
    GeneratorVersion base =
        new GeneratorVersion(
            "v0", null, config.roles().generator().model(), null, "base model", -1, null);
    return new RunState(runId, config, 0, List.of(base), List.of(), false, false, Usage.ZERO, null);
  }

  public GeneratorVersion currentVersion() {
    return versions.get(versions.size() - 1);
  }

  public RunState afterRound(RoundResult result, GeneratorVersion next, boolean pausedNow, boolean stopNow) {
    List<GeneratorVersion> nextVersions = new ArrayList<>(versions);
    nextVersions.add(next);
    List<RoundResult> nextRounds = new ArrayList<>(rounds);
    nextRounds.add(result);
    return new RunState(
        runId,
        config,
        nextRound + 1,
        nextVersions,
        nextRounds,
        pausedNow,
        stopNow,
        usage.plus(result.usage()),
        null);
  }

  public RunState stoppedBecause(String reason) {
    return new RunState(runId, config, nextRound, versions, rounds, paused, true, usage, reason);
  }

  public boolean finished() {
    return nextRound >= config.rounds() || stopAfterRound;
  }
}
