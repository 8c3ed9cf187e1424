package dev.quarry.core.adaptive;

/**
 * {@link BandRule} for rollouts that may go missing: after a wave, {@code hits} of the {@code
 * existing} rollouts count toward the rate (right for SPARQ, failed for ScaleQuest), and {@code
 * asked} of the budget were asked for. A missing rollout is in no denominator, so the final sample
 * holds between {@code existing} and {@code existing + (total − asked)} rollouts; the rates it can
 * end at all lie in the range a budget of {@code existing + remaining} reaches (for j more rollouts
 * of which any number count, (k + i)/(n + j) stays within [k/(n + r), (k + r)/(n + r)]).
 */
public final class BandStopping {
  private BandStopping() {}

  /**
   * @param minExisting the fewest existing rollouts the rate may stand on: sampling never stops
   *     below it while budget remains (a rate on fewer would be invalid, not settled)
   */
  public static StopReason decide(
      int hits,
      int existing,
      int asked,
      int total,
      int minExisting,
      double lower,
      double upper,
      double z) {
    int remaining = total - asked;
    if (remaining <= 0) {
      return StopReason.BUDGET;
    }
    if (existing < minExisting) {
      return StopReason.CONTINUE;
    }
    return new BandRule(lower, upper, existing + remaining, z).decide(hits, existing);
  }
}
