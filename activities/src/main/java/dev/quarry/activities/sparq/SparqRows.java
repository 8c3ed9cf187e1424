package dev.quarry.activities.sparq;

import dev.quarry.activities.store.FileArtifactStore;
import dev.quarry.activities.support.Failures;
import dev.quarry.core.artifacts.MathProblemArtifact;
import dev.quarry.core.artifacts.MathRolloutsArtifact;
import dev.quarry.core.config.RunConfig;
import dev.quarry.core.prompts.Message;
import dev.quarry.workflows.sparq.SparqProblemRecord;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The JSONL rows of a SPARQ round: dataset rows (problems kept by the final filter) with SPARQ's
 * fields and lineage, one candidate row per prompt, and SFT rows (problem → solution).
 */
final class SparqRows {
  private final FileArtifactStore store;

  SparqRows(FileArtifactStore store) {
    this.store = store;
  }

  /** Every problem, valid or not, with its solve rate, quality and niche or why it is invalid. */
  Map<String, Object> candidateRow(SparqProblemRecord r, boolean kept) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("key", r.key());
    row.put("round", r.round());
    row.put("promptIndex", r.promptIndex());
    row.put("parentId", r.parentId());
    row.put("valid", r.valid());
    row.put("kept", kept);
    row.put("invalidReason", r.invalidReason());
    row.put("solveRate", r.score() == null ? null : r.score().solveRate());
    row.put("quality", r.score() == null ? null : r.score().quality());
    row.put("rollouts", r.score() == null ? null : r.score().rollouts());
    row.put("missingRollouts", r.score() == null ? null : r.score().missing());
    if (r.rollouts() != null) {
      try {
        MathRolloutsArtifact rollouts = store.getJson(r.rollouts(), MathRolloutsArtifact.class);
        row.put("rolloutsUsed", rolloutsUsed(rollouts));
        row.put("stopReason", rollouts.stopReason() != null ? rollouts.stopReason() : "BUDGET");
      } catch (IOException e) {
        throw Failures.infrastructure("ArtifactStoreUnavailable", e.getMessage(), e);
      }
    }
    row.put("niche", r.niche() == null ? null : r.niche().skills());
    row.put("referenceAnswer", r.referenceAnswer());
    row.put("generatorVersion", r.generatorVersion());
    return row;
  }

  Map<String, Object> datasetRow(RunConfig config, SparqProblemRecord r) throws IOException {
    MathProblemArtifact problem = store.getJson(r.problem(), MathProblemArtifact.class);
    MathRolloutsArtifact rollouts = store.getJson(r.rollouts(), MathRolloutsArtifact.class);
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("key", r.key());
    row.put("runId", r.runId());
    row.put("round", r.round());
    row.put("promptIndex", r.promptIndex());
    row.put("method", config.method().name().toLowerCase(Locale.ROOT));
    row.put("problem", problem.problem());
    row.put("solution", problem.solution());
    row.put("referenceAnswer", r.referenceAnswer());
    row.put("solveRate", r.score().solveRate());
    row.put("quality", r.score().quality());
    row.put("niche", r.niche().skills());
    row.put("taggedSkills", r.tagged());
    row.put("correct", r.score().correct());
    row.put("answered", r.score().answered());
    Map<String, Object> rolloutBlock = new LinkedHashMap<>();
    rolloutBlock.put("count", r.score().rollouts());
    rolloutBlock.put("answers", rollouts.answers());
    // How each rollout was sampled (seed sent, finish reason) and why any asked for is missing.
    rolloutBlock.put("sampling", rollouts.sampling());
    rolloutBlock.put("missing", rollouts.missing());
    rolloutBlock.put("artifact", r.rollouts().sha256());
    // How many were asked for and why sampling stopped (docs/adaptive-rollouts.md); artifacts
    // from before adaptive rollouts always asked for the whole budget.
    row.put("rolloutsUsed", rolloutsUsed(rollouts));
    row.put("stopReason", rollouts.stopReason() != null ? rollouts.stopReason() : "BUDGET");
    row.put("rollouts", rolloutBlock);
    Map<String, Object> parent = new LinkedHashMap<>();
    parent.put("id", r.parentId());
    parent.put("niche", r.parentNiche() == null ? null : r.parentNiche().skills());
    row.put("parent", parent);
    row.put("prompt", problem.prompt());
    row.put("generatorVersion", r.generatorVersion());
    Map<String, Object> sampling = new LinkedHashMap<>();
    sampling.put("generator", problem.sampling());
    sampling.put("solver", rollouts.sampling());
    row.put("sampling", sampling);
    Map<String, Object> sparq = new LinkedHashMap<>();
    sparq.put(
        "solveRateBand", List.of(config.sparq().solveRateLower(), config.sparq().solveRateUpper()));
    sparq.put("archive", config.sparq().archive().name().toLowerCase(Locale.ROOT));
    sparq.put("parentSelection", config.sparq().parentSelection().name().toLowerCase(Locale.ROOT));
    sparq.put("filter", config.sparq().filter().name().toLowerCase(Locale.ROOT));
    sparq.put("filterBudget", config.sparq().filterBudget());
    row.put("sparq", sparq);
    return row;
  }

  /** Rollouts asked for; artifacts from one fixed request (rolloutsUsed null) asked for all K. */
  private static int rolloutsUsed(MathRolloutsArtifact rollouts) {
    return rollouts.rolloutsUsed() != null
        ? rollouts.rolloutsUsed()
        : rollouts.texts().size() + rollouts.missing().size();
  }

  /** Self-improvement data: the problem answered by the generator's own solution. */
  Map<String, Object> sftRow(Map<String, Object> datasetRow) {
    return Map.of(
        "messages",
        List.of(
            Message.system("You are an expert mathematician. Put the final answer in \\boxed{}."),
            Message.user(String.valueOf(datasetRow.get("problem"))),
            Message.assistant(String.valueOf(datasetRow.get("solution")))));
  }
}
