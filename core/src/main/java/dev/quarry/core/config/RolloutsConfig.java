package dev.quarry.core.config;

/**
 * How solver rollouts are sampled (docs/adaptive-rollouts.md). Off: every candidate gets the
 * method's fixed budget in one request (the papers' M, K or n). On: rollouts come in waves, and a
 * candidate stops being sampled once more rollouts cannot change the decision they feed.
 *
 * @param adaptive sample in waves and stop early; false gives the papers' fixed budget
 * @param firstWave rollouts in the first wave
 * @param waveSize rollouts in each further wave (the last one is cut at the budget)
 * @param confidenceZ Wilson's z for stopping at confidence (1.96: 95%); 0 stops only when the
 *     decision is settled exactly, so the fixed budget would decide the same on the same rollouts
 * @param deltaWidth QueST: stop once δ's interval is at most this wide; 0 never stops for width
 */
public record RolloutsConfig(
    boolean adaptive, int firstWave, int waveSize, double confidenceZ, double deltaWidth) {

  /**
   * Whether a run's config samples adaptively: null (configs recorded before it existed) is off.
   */
  public static boolean on(RolloutsConfig config) {
    return config != null && config.adaptive();
  }

  /** How many rollouts the next wave asks for after {@code asked} of {@code total}; 0: none. */
  public int nextWave(int asked, int total) {
    int size = asked == 0 ? firstWave : waveSize;
    return Math.max(0, Math.min(size, total - asked));
  }
}
