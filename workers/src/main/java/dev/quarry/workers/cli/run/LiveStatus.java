package dev.quarry.workers.cli.run;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.activities.store.Json;
import dev.quarry.core.config.Method;
import dev.quarry.core.config.RolePrice;
import dev.quarry.core.config.RunConfig;
import dev.quarry.workflows.Usage;
import dev.quarry.workflows.round.RoundProgress;
import dev.quarry.workflows.run.RunProgress;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A running run's status with everything derived from it: progress bars per stage against the
 * round's expected totals, tokens and cost per role, and ETAs for the round and the run.
 *
 * @param roundStarted when the current round's workflow started (null: no round yet)
 * @param stages each stage's load (queues and workers' gauges; empty when not read)
 */
record LiveStatus(
    RunProgress run,
    RoundProgress round,
    Instant roundStarted,
    Instant now,
    List<StageLoad> stages) {

  LiveStatus(RunProgress run, RoundProgress round, Instant roundStarted, Instant now) {
    this(run, round, roundStarted, now, List.of());
  }

  /** Expected totals of a QueST round: K candidates a prompt, M rollouts, T inputs each. */
  record Totals(int prompts, int candidates, int rollouts, int executions) {}

  Totals totals() {
    RunConfig c = run.config();
    if (round == null || c == null) {
      return null;
    }
    int prompts = round.promptsTotal();
    if (c.method() != Method.QUEST) {
      return new Totals(prompts, -1, -1, -1); // other methods: counts only, no fixed fan-out
    }
    int candidates = prompts * c.candidatesPerPrompt();
    int rollouts = candidates * c.rolloutsPerCandidate();
    return new Totals(prompts, candidates, rollouts, rollouts * c.testInputsPerCandidate());
  }

  /**
   * The round's done fraction, by candidates for QueST (each counts once however it ends; a
   * candidate whose test writer fails runs fewer rollouts and executions than the fan-out, so those
   * totals are upper bounds), else by prompts.
   */
  double roundFraction() {
    Totals t = totals();
    if (t == null) {
      return 0;
    }
    if (t.candidates() > 0) {
      return Math.min(1, (double) round.candidatesDone() / t.candidates());
    }
    return t.prompts() == 0 ? 0 : (double) round.promptsDone() / t.prompts();
  }

  Duration roundEta() {
    double f = roundFraction();
    if (roundStarted == null || f <= 0) {
      return null;
    }
    Duration elapsed = Duration.between(roundStarted, now);
    return Duration.ofMillis((long) (elapsed.toMillis() * (1 - f) / f));
  }

  /** This round's rest plus every later round at this round's projected length. */
  Duration runEta() {
    Duration rest = roundEta();
    if (rest == null) {
      return null;
    }
    Duration roundLength = Duration.between(roundStarted, now).plus(rest);
    int later = Math.max(0, run.totalRounds() - run.currentRound() - 1);
    return rest.plus(roundLength.multipliedBy(later));
  }

  /** Tokens and cost per role: the completed rounds' usage plus the running round's. */
  Map<String, double[]> costs() {
    Usage usage = run.usage();
    if (round != null) {
      usage = usage.plus(round.usage());
    }
    JsonNode byRole = Json.MAPPER.valueToTree(usage);
    Map<String, RolePrice> prices = run.config() == null ? Map.of() : run.config().pricing();
    Map<String, double[]> out = new LinkedHashMap<>();
    byRole
        .properties()
        .forEach(
            e -> {
              long prompt = e.getValue().path("promptTokens").asLong();
              long completion = e.getValue().path("completionTokens").asLong();
              if (prompt + completion == 0) {
                return;
              }
              RolePrice price = prices.get(e.getKey());
              double cost = price == null ? 0 : price.cost(prompt, completion);
              out.put(e.getKey(), new double[] {prompt, completion, cost});
            });
    return out;
  }

  double totalCost() {
    return costs().values().stream().mapToDouble(v -> v[2]).sum();
  }

  String render() {
    StringBuilder out = new StringBuilder(ProgressView.runLine(run)).append('\n');
    if (round != null) {
      Totals t = totals();
      out.append(String.format(Locale.ROOT, "  round %d: %s%n", round.round(), round.stage()));
      out.append(line("prompts", round.promptsDone(), t == null ? -1 : t.prompts()));
      out.append(line("candidates", round.candidatesDone(), t == null ? -1 : t.candidates()));
      out.append(line("rollouts", round.rolloutsDone(), t == null ? -1 : t.rollouts()))
          .append(
              t != null && t.rollouts() >= 0
                  ? "              (totals are at most: invalid candidates stop early)\n"
                  : "");
      out.append(line("executions", round.executionsDone(), t == null ? -1 : t.executions()));
      out.append(
          String.format(
              Locale.ROOT,
              "  valid candidates %d of %d%n",
              round.validCandidates(),
              round.candidatesDone()));
      if (round.failedPromptCount() > 0) {
        // Prompts whose workflow failed as a whole: counted as done, the round goes on.
        out.append(String.format(Locale.ROOT, "  failed prompts %d%n", round.failedPromptCount()));
        round
            .failedPrompts()
            .forEach(
                (reason, n) -> out.append(String.format(Locale.ROOT, "    %d × %s%n", n, reason)));
      }
    }
    costs()
        .forEach(
            (role, v) ->
                out.append(
                    String.format(
                        Locale.ROOT,
                        "  %-16s %,d prompt + %,d completion tokens%s%n",
                        role,
                        (long) v[0],
                        (long) v[1],
                        v[2] > 0 ? String.format(Locale.ROOT, "  cost %.4f", v[2]) : "")));
    out.append(
        String.format(Locale.ROOT, "  cost %.4f (from pricing: in the run config)%n", totalCost()));
    if (run.versions() != null && run.versions().size() > 1) {
      out.append("  generator versions:\n");
      run.versions().stream()
          .filter(v -> v.parent() != null)
          .forEach(v -> out.append("  ").append(ProgressView.versionLine(v)).append('\n'));
    }
    if (!stages.isEmpty()) {
      // The queues are the namespace's, shared by every run on them: the pipeline's load.
      out.append("  stages (every run on these queues):\n");
      stages.forEach(stage -> out.append(stage.render()));
      if (stages.stream().anyMatch(StageLoad::unmetered)) {
        out.append(
            "    (in flight and busy slots come from the workers' metrics: set QUARRY_METRICS_PORT"
                + " on them, reachable from here)\n");
      }
    }
    Duration roundEta = roundEta();
    out.append("  ETA: ")
        .append(
            roundEta == null
                ? "unknown yet"
                : "round " + human(roundEta) + ", run " + human(runEta()))
        .append('\n');
    return out.toString();
  }

  private static String line(String name, int done, int total) {
    if (total < 0) {
      return String.format(Locale.ROOT, "  %-11s %d%n", name, done);
    }
    return String.format(Locale.ROOT, "  %-11s %s%n", name, ProgressView.bar(done, total));
  }

  static String human(Duration d) {
    long s = Math.max(0, d.toSeconds());
    if (s >= 3600) {
      return String.format(Locale.ROOT, "%dh%02dm", s / 3600, s % 3600 / 60);
    }
    return s >= 60 ? String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60) : s + "s";
  }

  /** For --json: the raw progress plus what was derived from it. */
  Map<String, Object> json() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("run", run);
    out.put("round", round);
    out.put("totals", totals());
    out.put("roundFraction", roundFraction());
    Duration roundEta = roundEta();
    out.put("roundEtaSeconds", roundEta == null ? null : roundEta.toSeconds());
    out.put("runEtaSeconds", roundEta == null ? null : runEta().toSeconds());
    out.put("stages", stages);
    Map<String, Object> costs = new LinkedHashMap<>();
    costs()
        .forEach(
            (role, v) ->
                costs.put(
                    role,
                    Map.of(
                        "promptTokens",
                        (long) v[0],
                        "completionTokens",
                        (long) v[1],
                        "cost",
                        v[2])));
    out.put("tokens", costs);
    out.put("cost", totalCost());
    return out;
  }
}
