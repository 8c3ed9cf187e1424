package dev.quarry.core.config;

import java.util.List;

/**
 * ScaleQuest's parameters (used when {@code method: scalequest}).
 *
 * @param questionPrefix the raw text sent to {@code /v1/completions}: a fine-tuned question
 *     generator (QFT) continues it with a question, no chat template involved
 * @param questionStop stop sequences for the question, added to the generator role's own
 * @param minLatinShare language filter: least share of Latin-script letters
 * @param minEnglishWordShare language filter: least share of common English function words
 * @param solverSamples n: solver samples whose fail rate measures difficulty
 * @param minFailRate difficulty filter: questions failed less often are too easy
 * @param maxFailRate difficulty filter: questions failed more often are dropped (1: keep all)
 * @param responseSamples N: responses sampled per kept question; the reward model keeps the best
 * @param qpoRewrites write QPO preference data: each question rewritten towards solvability or
 *     difficulty, pair (chosen = rewrite, rejected = original)
 * @param qpoDifficultyShare chance a question is rewritten towards difficulty, not solvability
 * @param runAllFilters run every stage on every question, even after a filter rejected it (costs
 *     more; shows how the filters interact); otherwise a rejected question stops there
 * @param minReplies the fewest solver samples (of {@code solverSamples}) that must exist for a fail
 *     rate to be measured; fewer makes the question invalid, not hard. Null: half of solverSamples,
 *     rounded up
 */
public record ScaleQuestConfig(
    String questionPrefix,
    List<String> questionStop,
    double minLatinShare,
    double minEnglishWordShare,
    int solverSamples,
    double minFailRate,
    double maxFailRate,
    int responseSamples,
    boolean qpoRewrites,
    double qpoDifficultyShare,
    boolean runAllFilters,
    Integer minReplies) {
  public ScaleQuestConfig {
    questionStop = questionStop == null ? List.of() : List.copyOf(questionStop);
  }

  /** {@link #minReplies} with its default applied. */
  public int minSolverReplies() {
    return minReplies != null ? minReplies : (solverSamples + 1) / 2;
  }
}
