package dev.quarry.core.difficulty;

/**
 * A candidate's QueST difficulty.
 *
 * @param valid false when too few executions were valid for δ to mean anything
 * @param delta δ in [0, 1]; 0 when invalid
 * @param validInputs inputs on which enough rollouts ran validly
 * @param invalidReason why the candidate is invalid; null when valid
 */
public record DifficultyScore(
    boolean valid,
    double delta,
    int validInputs,
    int totalInputs,
    int validExecutions,
    int totalExecutions,
    String invalidReason) {

  public static DifficultyScore invalid(
      String reason, int validInputs, int totalInputs, int validExecutions, int totalExecutions) {
    return new DifficultyScore(
        false, 0, validInputs, totalInputs, validExecutions, totalExecutions, reason);
  }
}
