package dev.quarry.activities.scalequest;

import dev.quarry.activities.store.FileArtifactStore;
import dev.quarry.core.artifacts.ArtifactRef;
import dev.quarry.core.config.RunConfig;
import dev.quarry.core.scalequest.ChatCallArtifact;
import dev.quarry.core.scalequest.DpoPair;
import dev.quarry.core.scalequest.QuestionArtifact;
import dev.quarry.core.scalequest.ScoredResponsesArtifact;
import dev.quarry.workflows.Ids;
import dev.quarry.workflows.scalequest.FilterOutcome;
import dev.quarry.workflows.scalequest.QuestionRecord;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The JSONL rows of a ScaleQuest round: a row per question with every filter's outcome, dataset
 * rows (question + best response) with lineage, QFT rows and QPO preference pairs.
 */
final class ScaleQuestRows {
  private final FileArtifactStore store;

  ScaleQuestRows(FileArtifactStore store) {
    this.store = store;
  }

  /**
   * Every question, kept or not, with each filter's outcome and the first reason it was dropped.
   */
  Map<String, Object> questionRow(QuestionRecord r) throws IOException {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("key", key(r));
    row.put("round", r.round());
    row.put("promptIndex", r.promptIndex());
    row.put("valid", r.kept());
    row.put("kept", r.kept());
    row.put("invalidReason", r.rejectedBy());
    row.put(
        "question", r.question().question() == null ? null : questionText(r.question().question()));
    row.put("filters", filters(r));
    row.put("judgeVerdict", r.judge() == null ? null : lower(r.judge().verdict().name()));
    row.put("failRate", r.difficulty() == null ? null : r.difficulty().failRate().failRate());
    if (r.difficulty() != null) {
      row.put(
          "rolloutsUsed",
          r.difficulty().samplesUsed() != null
              ? r.difficulty().samplesUsed()
              : r.difficulty().failRate().samples() + r.difficulty().failRate().missing());
      row.put(
          "stopReason",
          r.difficulty().stopReason() != null ? r.difficulty().stopReason() : "BUDGET");
    }
    row.put("rewardScore", r.responses() == null ? null : r.responses().bestScore());
    Map<String, Object> qpo = new LinkedHashMap<>();
    qpo.put("direction", r.rewrite() == null ? null : lower(r.rewrite().direction().name()));
    qpo.put("pair", r.rewrite() != null && r.rewrite().makesPair());
    qpo.put("unusableReason", r.rewrite() == null ? null : r.rewrite().unusableReason());
    row.put("qpo", qpo);
    row.put("generatorVersion", r.generatorVersion());
    return row;
  }

  /** The dataset row of a kept question: the question, its best response, ScaleQuest's signals. */
  Map<String, Object> datasetRow(RunConfig config, QuestionRecord r) throws IOException {
    QuestionArtifact question = store.getJson(r.question().question(), QuestionArtifact.class);
    ChatCallArtifact judge = store.getJson(r.judge().reply(), ChatCallArtifact.class);
    ChatCallArtifact samples = store.getJson(r.difficulty().samples(), ChatCallArtifact.class);
    ScoredResponsesArtifact responses =
        store.getJson(r.responses().responses(), ScoredResponsesArtifact.class);
    int best = r.responses().best();

    Map<String, Object> row = new LinkedHashMap<>();
    row.put("key", key(r));
    row.put("runId", r.runId());
    row.put("round", r.round());
    row.put("promptIndex", r.promptIndex());
    row.put("method", lower(config.method().name()));
    row.put("prompt", question.prefix());
    row.put("question", question.question());
    row.put("response", responses.responses().get(best));
    row.put("answer", r.responses().bestAnswer());
    row.put("rewardScore", r.responses().bestScore());
    row.put("rewardScores", r.responses().scores());
    row.put("failRate", r.difficulty().failRate().failRate());
    row.put("failRateSamples", r.difficulty().failRate().samples());
    row.put("failRateAgreeing", r.difficulty().failRate().agreeing());
    // Samples asked for that never came back: in no denominator, listed with their reasons.
    row.put("failRateMissing", samples.missing());
    // How many samples were asked for and why sampling stopped (docs/adaptive-rollouts.md);
    // outcomes from before adaptive rollouts always asked for all n.
    row.put(
        "rolloutsUsed",
        r.difficulty().samplesUsed() != null
            ? r.difficulty().samplesUsed()
            : r.difficulty().failRate().samples() + samples.missing().size());
    row.put(
        "stopReason", r.difficulty().stopReason() != null ? r.difficulty().stopReason() : "BUDGET");
    row.put("majorityAnswer", r.difficulty().failRate().reference());
    row.put("judgeVerdict", lower(r.judge().verdict().name()));
    row.put("judgeReply", judge.replies().get(0));
    row.put("filters", filters(r));
    row.put("generatorVersion", r.generatorVersion());
    Map<String, Object> sampling = new LinkedHashMap<>();
    sampling.put("generator", question.sampling());
    sampling.put("judge", judge.sampling());
    sampling.put("failRateSolver", samples.sampling());
    sampling.put("responder", responses.sampling());
    sampling.put("rewardModel", responses.rewardSampling());
    row.put("sampling", sampling);
    Map<String, Object> artifacts = new LinkedHashMap<>();
    artifacts.put("question", r.question().question().sha256());
    artifacts.put("judge", r.judge().reply().sha256());
    artifacts.put("failRateSamples", r.difficulty().samples().sha256());
    artifacts.put("responses", r.responses().responses().sha256());
    row.put("artifacts", artifacts);
    return row;
  }

  /**
   * QFT export: the generator's raw prefix completed by a kept question (TRL prompt-completion).
   */
  Map<String, Object> qftRow(Map<String, Object> datasetRow) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("prompt", datasetRow.get("prompt"));
    row.put("completion", datasetRow.get("question"));
    return row;
  }

  /** The QPO pair of a question whose rewrite is usable: chosen = rewrite, rejected = original. */
  Optional<DpoPair> dpoPair(QuestionRecord r) throws IOException {
    if (r.rewrite() == null || !r.rewrite().makesPair()) {
      return Optional.empty();
    }
    QuestionArtifact original = store.getJson(r.question().question(), QuestionArtifact.class);
    ChatCallArtifact rewrite = store.getJson(r.rewrite().rewrite(), ChatCallArtifact.class);
    return Optional.of(
        new DpoPair(
            original.prefix(),
            rewrite.replies().get(0),
            original.question(),
            r.rewrite().direction()));
  }

  private static Map<String, Object> filters(QuestionRecord r) {
    Map<String, Object> filters = new LinkedHashMap<>();
    for (FilterOutcome f : r.filters()) {
      Map<String, Object> outcome = new LinkedHashMap<>();
      outcome.put("passed", f.passed());
      outcome.put("ran", f.passed() != null);
      outcome.put("detail", f.detail());
      filters.put(f.filter(), outcome);
    }
    return filters;
  }

  private String questionText(ArtifactRef ref) throws IOException {
    return store.getJson(ref, QuestionArtifact.class).question();
  }

  private static String key(QuestionRecord r) {
    return Ids.prompt(r.runId(), r.round(), r.promptIndex());
  }

  private static String lower(String name) {
    return name.toLowerCase(Locale.ROOT);
  }
}
