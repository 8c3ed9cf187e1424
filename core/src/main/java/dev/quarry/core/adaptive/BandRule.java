package dev.quarry.core.adaptive;

/**
 * When to stop sampling a rate that feeds a band decision: SPARQ keeps a problem whose solve rate
 * is inside [T_l, T_u]; ScaleQuest keeps a question whose fail rate is inside [min, max]. Sampling
 * stops once the decision is settled: exactly (no outcome of the rollouts left can move the final
 * rate across a band edge) or, when {@code z} is set, at that confidence (the Wilson interval lies
 * wholly inside or wholly outside the band).
 *
 * @param lower the band's lower edge, inclusive
 * @param upper the band's upper edge, inclusive
 * @param total the fixed budget of rollouts (the papers' K or n)
 * @param z Wilson's z (1.96 for 95%); 0 stops only when the decision is settled exactly
 */
public record BandRule(double lower, double upper, int total, double z) {
  public BandRule {
    if (!(0 <= lower && lower <= upper && upper <= 1)) {
      throw new IllegalArgumentException(
          "need 0 <= lower <= upper <= 1, got [" + lower + ", " + upper + "]");
    }
    if (total < 1) {
      throw new IllegalArgumentException("total must be >= 1, got " + total);
    }
    if (z < 0) {
      throw new IllegalArgumentException("z must be >= 0, got " + z);
    }
  }

  /** After {@code k} successes in {@code n} rollouts. */
  public StopReason decide(int k, int n) {
    if (n >= total) {
      return StopReason.BUDGET;
    }
    Interval reachable = Proportions.reachable(k, n, total);
    if (reachable.within(lower, upper) || reachable.outside(lower, upper)) {
      return StopReason.SETTLED_EXACTLY;
    }
    if (z > 0 && n > 0) {
      Interval wilson = Proportions.wilson(k, n, z);
      if (wilson.within(lower, upper) || wilson.outside(lower, upper)) {
        return StopReason.SETTLED_AT_CONFIDENCE;
      }
    }
    return StopReason.CONTINUE;
  }
}
