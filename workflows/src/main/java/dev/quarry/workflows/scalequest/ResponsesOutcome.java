package dev.quarry.workflows.scalequest;

import dev.quarry.core.artifacts.ArtifactRef;
import dev.quarry.workflows.TokenUsage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * N responses, their reward scores and the best of them.
 *
 * @param scores one per response; null where the reward model gave no usable score
 * @param best index of the highest-scored response, -1 when none was scored
 * @param answerPresent whether the best response states a final answer
 * @param bestAnswer that final answer, null when none
 * @param responses the responses and the reward model's replies, in the store
 * @param rejection why the solver's endpoint refused the request; null when it answered
 */
public record ResponsesOutcome(
    int count,
    List<Double> scores,
    int best,
    boolean answerPresent,
    String bestAnswer,
    ArtifactRef responses,
    String rejection,
    TokenUsage solverUsage,
    TokenUsage rewardUsage) {
  public ResponsesOutcome {
    // Not List.copyOf: an unscored response is a null entry.
    scores = scores == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(scores));
  }

  public Double bestScore() {
    return best < 0 ? null : scores.get(best);
  }
}
