package dev.quarry.core.config;

import dev.quarry.core.answers.AnswerMatcher;
import dev.quarry.core.sparq.ArchiveMode;
import dev.quarry.core.sparq.FinalFilter;
import dev.quarry.core.sparq.ParentSelection;
import dev.quarry.core.sparq.QualityBand;

/**
 * The SPARQ method's parameters (used when {@code method: sparq}).
 *
 * @param rollouts K: solver rollouts per generated problem, for its solve rate
 * @param solveRateLower T_l: below it a problem's quality is 0 (likely a wrong reference answer)
 * @param solveRateUpper T_u: above it a problem's quality is 0 (too easy)
 * @param answerTolerance relative tolerance when comparing numeric answers
 * @param skillVocabulary how many of the seeds' most common skills a problem may be tagged with
 * @param maxSkillsPerProblem skills per problem, hence per niche tuple
 * @param nicheCapacity problems kept per niche; the lowest quality is evicted
 * @param archive static: parents always from the seeds; dynamic: from the updated archive
 * @param parentSelection uniform over entries, or diverse: a niche uniformly, then an entry
 * @param filter the final filter of each round's dataset: quality or diversity
 * @param filterBudget how many problems the final filter keeps per round; 0 keeps all eligible
 * @param minReplies the fewest solver rollouts (of K) that must exist for a solve rate to be
 *     measured; fewer makes the problem invalid. Null: half of K, rounded up
 */
public record SparqConfig(
    int rollouts,
    double solveRateLower,
    double solveRateUpper,
    double answerTolerance,
    int skillVocabulary,
    int maxSkillsPerProblem,
    int nicheCapacity,
    ArchiveMode archive,
    ParentSelection parentSelection,
    FinalFilter filter,
    int filterBudget,
    Integer minReplies) {

  /** {@link #minReplies} with its default applied. */
  public int minSolverReplies() {
    return minReplies != null ? minReplies : (rollouts + 1) / 2;
  }

  public QualityBand qualityBand() {
    return new QualityBand(solveRateLower, solveRateUpper);
  }

  public AnswerMatcher answerMatcher() {
    return new AnswerMatcher(answerTolerance);
  }
}
