package dev.quarry.core.adaptive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quarry.core.config.RolloutsConfig;
import org.junit.jupiter.api.Test;

class BandStoppingTest {
  @Test
  void settledMidBandStopsAfterTwoRightAndTwoWrong() {
    // SPARQ's defaults: [0.1, 0.9] over K = 16. 2 right of 4: the rate ends in [2/16, 14/16].
    assertEquals(StopReason.SETTLED_EXACTLY, BandStopping.decide(2, 4, 4, 16, 1, 0.1, 0.9, 0));
    assertEquals(StopReason.CONTINUE, BandStopping.decide(1, 4, 4, 16, 1, 0.1, 0.9, 0));
  }

  @Test
  void budgetSpentIsBudgetAndTooFewExistingContinues() {
    assertEquals(StopReason.BUDGET, BandStopping.decide(0, 4, 4, 4, 1, 0.1, 0.9, 0));
    // 2 of 2 exist and are mixed, but 3 must exist: go on.
    assertEquals(StopReason.CONTINUE, BandStopping.decide(1, 2, 2, 8, 3, 0.1, 0.9, 0));
  }

  /**
   * Stopping exactly never changes the decision, even when later rollouts go missing: every
   * completion (each remaining rollout right, wrong or missing) of every stopped prefix decides as
   * the prefix did.
   */
  @Test
  void exactStopHoldsForEveryCompletionWithMissingRollouts() {
    double[][] bands = {{0.1, 0.9}, {0.25, 1.0}, {0.3, 0.6}, {0.0, 0.5}};
    for (double[] band : bands) {
      for (int total = 1; total <= 8; total++) {
        for (int asked = 1; asked < total; asked++) {
          for (int existing = 0; existing <= asked; existing++) {
            for (int hits = 0; hits <= existing; hits++) {
              StopReason stop =
                  BandStopping.decide(hits, existing, asked, total, 1, band[0], band[1], 0);
              if (stop != StopReason.SETTLED_EXACTLY) {
                continue;
              }
              boolean inside = inside(hits, existing, band);
              int remaining = total - asked;
              for (int more = 0; more <= remaining; more++) {
                for (int moreHits = 0; moreHits <= more; moreHits++) {
                  assertEquals(
                      inside,
                      inside(hits + moreHits, existing + more, band),
                      "band "
                          + band[0]
                          + ".."
                          + band[1]
                          + " total "
                          + total
                          + " prefix "
                          + hits
                          + "/"
                          + existing);
                }
              }
            }
          }
        }
      }
    }
  }

  @Test
  void wavesStartWithTheFirstWaveAndStopAtTheBudget() {
    RolloutsConfig waves = new RolloutsConfig(true, 4, 2, 0, 0);
    assertEquals(4, waves.nextWave(0, 16));
    assertEquals(2, waves.nextWave(4, 16));
    assertEquals(1, waves.nextWave(15, 16));
    assertEquals(0, waves.nextWave(16, 16));
    assertEquals(3, waves.nextWave(0, 3));
    assertTrue(RolloutsConfig.on(waves));
    assertTrue(!RolloutsConfig.on(null));
  }

  private static boolean inside(int hits, int n, double[] band) {
    double rate = (double) hits / n;
    return rate >= band[0] && rate <= band[1];
  }
}
