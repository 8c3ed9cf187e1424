package dev.quarry.workers.cli.run;

import dev.quarry.workflows.TokenUsage;
import dev.quarry.workflows.activities.GeneratorVersion;
import dev.quarry.workflows.round.RoundProgress;
import dev.quarry.workflows.round.RoundResult;
import dev.quarry.workflows.run.RunProgress;
import dev.quarry.workflows.run.RunSummary;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** Human-readable lines for progress and results. */
final class ProgressView {
  private ProgressView() {}

  static String runLine(RunProgress run) {
    if (run.totalRounds() == 0) {
      return "run " + run.runId() + ": " + run.stage(); // the config is not resolved yet
    }
    return String.format(
        "run %s: %s, round %d of %d%s%s",
        run.runId(),
        run.stage(),
        Math.min(run.currentRound() + 1, Math.max(run.totalRounds(), 1)),
        run.totalRounds(),
        run.paused() ? " [paused]" : "",
        run.stopAfterRound() ? " [stopping after this round]" : "");
  }

  static String roundLine(RoundProgress round) {
    return String.format(
        "  round %d %-10s prompts %s  candidates %d (valid %d)  rollouts %d  executions %d  tokens %d",
        round.round(),
        round.stage(),
        bar(round.promptsDone(), round.promptsTotal()),
        round.candidatesDone(),
        round.validCandidates(),
        round.rolloutsDone(),
        round.executionsDone(),
        round.usage().total().totalTokens());
  }

  static String bar(int done, int total) {
    int width = 20;
    int filled = total == 0 ? 0 : (int) Math.round((double) done / total * width);
    return "[" + "#".repeat(filled) + ".".repeat(width - filled) + "] " + done + "/" + total;
  }

  /**
   * " v1: python-lora, model registry/run/v1, loss 5.812 → 3.104" (or why training was skipped).
   */
  static String versionLine(GeneratorVersion v) {
    StringBuilder line =
        new StringBuilder("  ")
            .append(v.id())
            .append(": ")
            .append(v.backend())
            .append(", model ")
            .append(v.model());
    Double before = v.metric("lossBefore");
    Double after = v.metric("lossAfter");
    Double trainLoss = v.metric("trainLoss");
    if (before != null && after != null) {
      line.append(String.format(Locale.ROOT, ", loss %.3f → %.3f", before, after));
    } else if (after != null || trainLoss != null) {
      line.append(String.format(Locale.ROOT, ", loss %.3f", after != null ? after : trainLoss));
    }
    if (v.metrics() != null && v.metrics().get("skipped") != null) {
      line.append(", not trained: ").append(v.metrics().get("skipped"));
    }
    return line.toString();
  }

  static String tokens(TokenUsage usage) {
    return usage.promptTokens()
        + " prompt + "
        + usage.completionTokens()
        + " completion in "
        + usage.requests()
        + " requests";
  }

  /**
   * Said plainly when a run kept nothing, which is the usual outcome of the demo's 135M CPU model:
   * the one command that shows full rows, and the one config change that brings real data.
   */
  static final String EMPTY_DATASET =
      """
      the dataset is empty: no candidate passed every check (the reasons are above).
        full rows without a capable model (every role on the scripted endpoint):
          make demo METHOD=quest-scripted
        real data: point the roles at a real model in your config, e.g.
          roles: {generator: {endpoint: http://gpu-box:8000/v1, model: Qwen/Qwen2.5-7B-Instruct}}
          (README: "Pointing the roles at a real model")
      """;

  static String summary(RunSummary summary, String uiAddress, String namespace) {
    StringBuilder out = new StringBuilder();
    out.append("run ")
        .append(summary.runId())
        .append(" completed: ")
        .append(summary.roundsCompleted())
        .append(" round(s)")
        .append(summary.stopReason() != null ? " (" + summary.stopReason() + ")" : "")
        .append('\n');
    if (summary.rounds().size() < summary.roundsCompleted()) {
      // A long run carries only its last rounds' results (RunState.KEPT_ROUNDS); totals cover all.
      out.append("  (the last ")
          .append(summary.rounds().size())
          .append(" rounds are listed; rows and counts cover all ")
          .append(summary.roundsCompleted())
          .append(")\n");
    }
    Map<String, Integer> reasons = new TreeMap<>();
    Map<String, Integer> failed = new TreeMap<>();
    for (RoundResult round : summary.rounds()) {
      out.append(
          String.format(
              "  round %d (generator %s): %d prompts, %d candidates, %d valid, %d invalid, mean score of kept %.3f"
                  + " (QueST: δ, ScaleQuest: fail rate, SPARQ: quality)%n",
              round.round(),
              round.generatorVersion(),
              round.prompts(),
              round.candidates(),
              round.validCandidates(),
              round.invalidCandidates(),
              round.meanSelectedDelta()));
      out.append("    dataset: ").append(round.shard().datasetFile()).append('\n');
      out.append("    candidates: ").append(round.shard().candidatesFile()).append('\n');
      out.append("    rft export: ").append(round.shard().rftFile()).append('\n');
      round.invalidReasons().forEach((reason, n) -> reasons.merge(reason, n, Integer::sum));
      round.failedPrompts().forEach((reason, n) -> failed.merge(reason, n, Integer::sum));
    }
    out.append("rows: ").append(summary.rows()).append('\n');
    out.append("invalid candidates: ")
        .append(summary.invalidCandidates())
        .append(" of ")
        .append(summary.candidates())
        .append('\n');
    reasons.forEach(
        (reason, n) -> out.append("  ").append(n).append(" × ").append(reason).append('\n'));
    if (!failed.isEmpty()) {
      // Prompts whose workflow failed as a whole (of the rounds listed): no candidates, no rows.
      out.append("failed prompts: ")
          .append(failed.values().stream().mapToInt(Integer::intValue).sum())
          .append('\n');
      failed.forEach(
          (reason, n) -> out.append("  ").append(n).append(" × ").append(reason).append('\n'));
    }
    out.append("tokens: ").append(tokens(summary.usage().total())).append('\n');
    out.append("  generator ")
        .append(tokens(summary.usage().generator()))
        .append("; test writer ")
        .append(tokens(summary.usage().testWriter()))
        .append("; solver ")
        .append(tokens(summary.usage().solver()))
        .append('\n');
    if (summary.usage().judge().requests()
            + summary.usage().rewardModel().requests()
            + summary.usage().rewriter().requests()
        > 0) {
      out.append("  judge ")
          .append(tokens(summary.usage().judge()))
          .append("; reward model ")
          .append(tokens(summary.usage().rewardModel()))
          .append("; rewriter ")
          .append(tokens(summary.usage().rewriter()))
          .append('\n');
    }
    out.append("generator versions: ");
    summary
        .versions()
        .forEach(
            v -> out.append(v.id()).append(v.parent() == null ? "" : "←" + v.parent()).append(' '));
    out.append('\n');
    // Which trainer made each version and which model it serves (a fine-tuned name after openai).
    summary.versions().stream()
        .filter(v -> v.parent() != null)
        .forEach(v -> out.append(versionLine(v)).append('\n'));
    out.append("web UI: ")
        .append(uiAddress)
        .append("/namespaces/")
        .append(namespace)
        .append("/workflows/")
        .append(summary.runId())
        .append('\n');
    if (summary.rows() == 0) {
      out.append(EMPTY_DATASET);
    }
    return out.toString();
  }
}
