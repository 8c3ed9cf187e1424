package dev.quarry.workflows.sparq;

/**
 * A problem's measured difficulty, over the solver rollouts that exist.
 *
 * @param correct rollouts whose final answer matched the reference
 * @param answered rollouts that stated a final answer
 * @param rollouts the rollouts that exist: the denominator
 * @param solveRate correct / rollouts; 0 when invalid
 * @param quality 1 − SR inside [T_l, T_u], else 0; 0 when invalid
 * @param missing rollouts asked for but never returned (0 in scores recorded before it was kept)
 * @param invalidReason why no solve rate could be measured (too few rollouts exist); null when it
 *     was, and in scores recorded before it was kept
 */
public record SolveRateScore(
    int correct,
    int answered,
    int rollouts,
    double solveRate,
    double quality,
    int missing,
    String invalidReason) {
  public SolveRateScore(int correct, int answered, int rollouts, double solveRate, double quality) {
    this(correct, answered, rollouts, solveRate, quality, 0, null);
  }
}
