package dev.quarry.core.adaptive;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quarry.core.difficulty.SelfConsistency;
import dev.quarry.core.difficulty.ValidityRule;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DeltaBoundsAtConfidenceTest {
  private static final ValidityRule RULE = new ValidityRule(1, 2);

  @Test
  void containsTheSamplesOwnDelta() {
    Random random = new Random(7);
    for (int trial = 0; trial < 500; trial++) {
      List<List<String>> outputs = sample(random, 8, 3, random.nextDouble());
      Interval confidence = DeltaBounds.atConfidence(outputs, 1.96, RULE).orElseThrow();
      double delta = SelfConsistency.score(outputs, RULE).delta();
      assertTrue(
          confidence.lo() <= delta + 1e-12 && delta <= confidence.hi() + 1e-12,
          confidence + " vs δ " + delta);
    }
  }

  /** 8 agreeing rollouts of 16: the exact bound allows δ up to 0.5, confidence about a third. */
  @Test
  void settlesAnEasyCandidateSoonerThanTheExactBound() {
    List<List<String>> outputs = sample(new Random(3), 8, 3, 1.0);
    Interval confidence = DeltaBounds.atConfidence(outputs, 1.96, RULE).orElseThrow();
    Interval exact = DeltaBounds.of(outputs, 8, RULE).orElseThrow();
    assertTrue(confidence.hi() < 0.33 && exact.hi() == 0.5, confidence + " vs " + exact);
  }

  /**
   * At confidence the interval holds the δ the solver tends to, here 1 − p, in at least 9 of 10
   * tries.
   */
  @Test
  void coversTheLimitingDeltaMostOfTheTime() {
    Random random = new Random(11);
    int covered = 0;
    int tries = 2000;
    for (int trial = 0; trial < tries; trial++) {
      double p = 0.55 + 0.45 * random.nextDouble();
      Interval interval =
          DeltaBounds.atConfidence(sample(random, 8, 3, p), 1.96, RULE).orElseThrow();
      covered += interval.lo() <= 1 - p && 1 - p <= interval.hi() ? 1 : 0;
    }
    assertTrue(covered >= 0.9 * tries, covered + " of " + tries);
  }

  @Test
  void noIntervalWhileAnInputLacksItsValidRollouts() {
    List<List<String>> outputs = List.of(List.of("a", "b"), Arrays.asList("a", (String) null));
    assertTrue(DeltaBounds.atConfidence(outputs, 1.96, RULE).isEmpty());
  }

  /** m rollouts on t inputs, each right ("r") with chance p, else one of several wrong outputs. */
  private static List<List<String>> sample(Random random, int m, int t, double p) {
    List<List<String>> outputs = new ArrayList<>();
    for (int i = 0; i < m; i++) {
      List<String> row = new ArrayList<>();
      boolean right = random.nextDouble() < p;
      for (int j = 0; j < t; j++) {
        row.add(right ? "r" + j : "w" + random.nextInt(4));
      }
      outputs.add(row);
    }
    return outputs;
  }
}
