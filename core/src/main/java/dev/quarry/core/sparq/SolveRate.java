package dev.quarry.core.sparq;

import dev.quarry.core.answers.AnswerExtractor;
import dev.quarry.core.answers.AnswerMatcher;
import java.util.List;
import java.util.Optional;

/**
 * SR = (1/K) Σ correct over K solver rollouts: a rollout is correct when its final answer is
 * equivalent to the reference answer. A rollout that states no final answer is wrong (a verdict on
 * the solver, not an infrastructure failure).
 *
 * @param correct rollouts whose answer matched the reference
 * @param answered rollouts that stated a final answer at all
 * @param rollouts K
 */
public record SolveRate(int correct, int answered, int rollouts) {
  public SolveRate {
    if (rollouts < 1 || correct < 0 || answered < correct || answered > rollouts) {
      throw new IllegalArgumentException(
          "need 0 ≤ correct ≤ answered ≤ rollouts, rollouts ≥ 1; got "
              + correct
              + ", "
              + answered
              + ", "
              + rollouts);
    }
  }

  public static SolveRate of(
      List<String> rolloutTexts, String referenceAnswer, AnswerMatcher matcher) {
    int correct = 0;
    int answered = 0;
    for (String text : rolloutTexts) {
      Optional<String> answer = AnswerExtractor.finalAnswer(text);
      if (answer.isPresent()) {
        answered++;
        if (matcher.equivalent(answer.get(), referenceAnswer)) {
          correct++;
        }
      }
    }
    return new SolveRate(correct, answered, rolloutTexts.size());
  }

  public double rate() {
    return (double) correct / rollouts;
  }
}
