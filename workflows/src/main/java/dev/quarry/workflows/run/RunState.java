package dev.quarry.workflows.run;

import dev.quarry.core.config.RunConfig;
import dev.quarry.workflows.Usage;
import dev.quarry.workflows.activities.GeneratorVersion;
import dev.quarry.workflows.round.RoundResult;
import java.util.ArrayList;
import java.util.List;

/**
 * What a run carries from one round to the next across continue-as-new. Only the last {@link
 * #KEPT_ROUNDS} round results and generator versions travel (each round adds about 1.2 KB), with
 * running totals for the rest, so the continue-as-new input stays far under Temporal's 256 KB
 * payload warning however many rounds a run has. Every round's files stay on disk, named by round
 * number, and every version in the model registry.
 *
 * @param totals counts over every completed round; null in states from before totals existed, which
 *     then carried every round (see {@link #totals()})
 */
public record RunState(
    String runId,
    RunConfig config,
    int nextRound,
    List<GeneratorVersion> versions,
    List<RoundResult> rounds,
    boolean paused,
    boolean stopAfterRound,
    Usage usage,
    String stopReason,
    Totals totals) {

  /** Round results and generator versions carried; older ones are summed into the totals. */
  public static final int KEPT_ROUNDS = 20;

  /** Counts over every completed round, including those no longer carried. */
  public record Totals(int rounds, int rows, int candidates, int invalidCandidates) {
    static final Totals ZERO = new Totals(0, 0, 0, 0);

    Totals plus(RoundResult round) {
      return new Totals(
          rounds + 1,
          rows + round.shard().rows(),
          candidates + round.candidates(),
          invalidCandidates + round.invalidCandidates());
    }

    static Totals of(List<RoundResult> rounds) {
      Totals totals = ZERO;
      for (RoundResult round : rounds) {
        totals = totals.plus(round);
      }
      return totals;
    }
  }

  public RunState {
    versions = versions == null ? List.of() : List.copyOf(versions);
    rounds = rounds == null ? List.of() : List.copyOf(rounds);
    // A state from before totals existed carries every round it completed.
    totals = totals == null ? Totals.of(rounds) : totals;
  }

  public static RunState initial(String runId, RunConfig config) {
    GeneratorVersion base =
        new GeneratorVersion(
            "v0", null, config.roles().generator().model(), null, "base model", -1, null);
    return new RunState(
        runId, config, 0, List.of(base), List.of(), false, false, Usage.ZERO, null, Totals.ZERO);
  }

  public GeneratorVersion currentVersion() {
    return versions.get(versions.size() - 1);
  }

  public RunState afterRound(
      RoundResult result, GeneratorVersion next, boolean pausedNow, boolean stopNow) {
    List<GeneratorVersion> nextVersions = new ArrayList<>(versions);
    nextVersions.add(next);
    List<RoundResult> nextRounds = new ArrayList<>(rounds);
    nextRounds.add(result);
    return new RunState(
        runId,
        config,
        nextRound + 1,
        lastOf(nextVersions),
        lastOf(nextRounds),
        pausedNow,
        stopNow,
        usage.plus(result.usage()),
        null,
        totals.plus(result));
  }

  private static <T> List<T> lastOf(List<T> items) {
    return items.size() <= KEPT_ROUNDS
        ? items
        : items.subList(items.size() - KEPT_ROUNDS, items.size());
  }

  public RunState stoppedBecause(String reason) {
    return new RunState(
        runId, config, nextRound, versions, rounds, paused, true, usage, reason, totals);
  }

  public boolean finished() {
    return nextRound >= config.rounds() || stopAfterRound;
  }
}
