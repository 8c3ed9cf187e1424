package dev.quarry.core.adaptive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quarry.core.difficulty.SelfConsistency;
import dev.quarry.core.difficulty.ValidityRule;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DeltaBoundsTest {
  @Test
  void theFullSamplesDeltaAlwaysLiesInTheBoundFromItsPrefix() {
    Random random = new Random(42);
    ValidityRule rule = new ValidityRule(1, 1);
    int bounded = 0;
    for (int trial = 0; trial < 3000; trial++) {
      int m = 2 + random.nextInt(7);
      int t = 1 + random.nextInt(4);
      List<List<String>> outputs = new ArrayList<>();
      for (int i = 0; i < m; i++) {
        List<String> row = new ArrayList<>();
        for (int j = 0; j < t; j++) {
          row.add(random.nextInt(6) == 0 ? null : "o" + random.nextInt(3));
        }
        outputs.add(row);
      }
      var full = SelfConsistency.score(outputs, rule);
      for (int prefix = 1; prefix < m; prefix++) {
        var bound = DeltaBounds.of(outputs.subList(0, prefix), m - prefix, rule);
        if (bound.isEmpty() || !full.valid()) {
          continue;
        }
        bounded++;
        assertTrue(
            bound.get().lo() - 1e-12 <= full.delta() && full.delta() <= bound.get().hi() + 1e-12,
            "δ " + full.delta() + " outside " + bound.get() + " from " + prefix + " of " + outputs);
      }
    }
    assertTrue(bounded > 1000, "bounded " + bounded);
  }

  @Test
  void noBoundWhileAnInputMayStillStartOrStopCounting() {
    ValidityRule rule = new ValidityRule(1, 2);
    assertTrue(DeltaBounds.of(List.of(List.of("1", "2")), 3, rule).isEmpty());
    Interval settled = DeltaBounds.of(List.of(List.of("1"), List.of("1")), 0, rule).orElseThrow();
    assertEquals(new Interval(0, 0), settled);
  }

  @Test
  void aCandidateThatCannotBeatTheHardestStops() {
    HardestCandidateRule rule = new HardestCandidateRule(0);
    assertEquals(
        StopReason.CANNOT_WIN, rule.decide(new Interval(0, 0.3), 2, OptionalDouble.of(0.4)));
    assertEquals(StopReason.CONTINUE, rule.decide(new Interval(0, 0.5), 2, OptionalDouble.of(0.4)));
    assertEquals(StopReason.CONTINUE, rule.decide(new Interval(0, 0.5), 2, OptionalDouble.empty()));
    assertEquals(
        StopReason.NARROW,
        new HardestCandidateRule(0.1).decide(new Interval(0.4, 0.45), 2, OptionalDouble.empty()));
    assertEquals(StopReason.BUDGET, rule.decide(new Interval(0, 1), 0, OptionalDouble.empty()));
  }
}
