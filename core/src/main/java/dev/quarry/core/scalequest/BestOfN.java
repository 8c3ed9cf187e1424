package dev.quarry.core.scalequest;

import java.util.List;

/**
 * ScaleQuest's response selection: of N sampled responses, keep the one the reward model scores
 * highest.
 */
public final class BestOfN {
  private BestOfN() {}

  /**
   * @param scores one per response, null where the reward model gave no usable score
   * @return the index of the highest score (the lowest index on ties), -1 when none is scored
   */
  public static int best(List<Double> scores) {
    int best = -1;
    for (int i = 0; i < scores.size(); i++) {
      Double s = scores.get(i);
      if (s != null && Double.isFinite(s) && (best < 0 || s > scores.get(best))) {
        best = i;
      }
    }
    return best;
  }
}
