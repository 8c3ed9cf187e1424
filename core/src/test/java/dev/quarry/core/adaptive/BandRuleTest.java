package dev.quarry.core.adaptive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BandRuleTest {
  private static boolean inBand(double rate, BandRule rule) {
    return rate >= rule.lower() && rate <= rule.upper();
  }

  @Test
  void anExactStopNeverChangesTheDecisionOfTheFullSample() {
    // Every band on a grid, every budget up to 12, every prefix and every way the rest can go.
    double[] edges = {0, 0.1, 0.25, 0.5, 0.75, 0.9, 1};
    int checked = 0;
    for (double lo : edges) {
      for (double hi : edges) {
        if (hi < lo) {
          continue;
        }
        for (int total = 1; total <= 12; total++) {
          BandRule rule = new BandRule(lo, hi, total, 0);
          for (int n = 0; n < total; n++) {
            for (int k = 0; k <= n; k++) {
              if (rule.decide(k, n) != StopReason.SETTLED_EXACTLY) {
                continue;
              }
              boolean now = inBand((double) k / total, rule);
              for (int more = 0; more <= total - n; more++) {
                assertEquals(
                    now,
                    inBand((double) (k + more) / total, rule),
                    "band [" + lo + "," + hi + "] total " + total + " k " + k + " n " + n);
                checked++;
              }
            }
          }
        }
      }
    }
    assertTrue(checked > 1000, "checked " + checked);
  }

  @Test
  void sparqBandStopsEarlyOnlyWhenSettled() {
    BandRule sparq = new BandRule(0.1, 0.9, 4, 0);
    assertEquals(
        StopReason.CONTINUE, sparq.decide(2, 2), "1.0 is still reachable, outside the band");
    assertEquals(StopReason.SETTLED_EXACTLY, sparq.decide(1, 3), "the rate ends at 0.25 or 0.5");
    assertEquals(StopReason.BUDGET, sparq.decide(4, 4));
  }

  @Test
  void confidenceStopsSoonerThanExactness() {
    // 64 rollouts, band [0.1, 0.9]. 8 right of 8 cannot settle (the Wilson interval at 95% is
    // [0.68, 1]). 0 right of 30: Wilson [0, 0.114] still reaches the band; 0 of 40: [0, 0.088] lies
    // below it, so sampling stops at 95% confidence, where exactness would need 57 more rollouts.
    BandRule rule = new BandRule(0.1, 0.9, 64, 1.96);
    assertEquals(StopReason.CONTINUE, rule.decide(8, 8));
    assertEquals(StopReason.CONTINUE, rule.decide(0, 30));
    assertEquals(StopReason.SETTLED_AT_CONFIDENCE, rule.decide(0, 40));
    assertEquals(StopReason.CONTINUE, new BandRule(0.1, 0.9, 64, 0).decide(0, 40));
  }
}
