package dev.quarry.core.sparq;

/**
 * SPARQ's quality: 1 − SR when T_l ≤ SR ≤ T_u, else 0. Too easy a problem (SR above T_u) teaches
 * nothing; one almost nobody solves (SR below T_l) most likely has a wrong reference answer.
 */
public record QualityBand(double lower, double upper) {
  public QualityBand {
    if (!(lower >= 0 && lower <= upper && upper <= 1)) {
      throw new IllegalArgumentException(
          "need 0 ≤ lower ≤ upper ≤ 1, got [" + lower + ", " + upper + "]");
    }
  }

  public double quality(double solveRate) {
    return solveRate >= lower && solveRate <= upper ? 1 - solveRate : 0;
  }
}
