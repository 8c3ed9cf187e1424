package dev.quarry.workflows.round;

import dev.quarry.core.config.Method;
import dev.quarry.workflows.Visibility;
import dev.quarry.workflows.scalequest.ScaleQuestRound;
import dev.quarry.workflows.sparq.SparqRound;

/**
 * One method's round, in its own class that says the method's steps in order: {@link QuestRound},
 * {@link ScaleQuestRound}, {@link SparqRound}. The GenerationRound workflow only chooses one by the
 * run's method; what the methods share (stage, pause, tally, window, batches) is in {@link
 * RoundContext}.
 */
public interface MethodRound {
  RoundResult run(RoundInput input, RoundContext round);

  /**
   * A batch's share of a big round: takes the prompts of the batch's range and starts each one's
   * child in the window, with the ids and inputs an unbatched round would use.
   *
   * @return how many prompts the batch started
   */
  int startBatch(PromptBatchInput batch, Visibility visibility, ChildWindow window);

  /** The round of a method; no method (older configs) is QueST. */
  static MethodRound of(Method method) {
    if (method == Method.SPARQ) {
      return new SparqRound();
    }
    if (method == Method.SCALEQUEST) {
      return new ScaleQuestRound();
    }
    return new QuestRound();
  }
}
