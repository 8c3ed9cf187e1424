package dev.quarry.core.scalequest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class QpoAndSelectionTest {
  @Test
  void directionIsSeededAndFollowsTheShare() {
    for (long seed = 0; seed < 50; seed++) {
      double draw = new SplittableRandom(seed).nextDouble();
      QpoDirection expected = draw < 0.3 ? QpoDirection.DIFFICULTY : QpoDirection.SOLVABILITY;
      assertEquals(expected, QpoDirection.choose(seed, 0.3));
      assertEquals(QpoDirection.choose(seed, 0.3), QpoDirection.choose(seed, 0.3));
      assertEquals(QpoDirection.SOLVABILITY, QpoDirection.choose(seed, 0.0));
      assertEquals(QpoDirection.DIFFICULTY, QpoDirection.choose(seed, 1.0));
    }
    long difficult = 0;
    for (long seed = 0; seed < 2000; seed++) {
      difficult += QpoDirection.choose(seed, 0.5) == QpoDirection.DIFFICULTY ? 1 : 0;
    }
    assertTrue(difficult > 900 && difficult < 1100, "about half: " + difficult);
  }

  @Test
  void dpoPairPrefersTheRewrite() {
    DpoPair pair = new DpoPair("<prefix>", "harder question", "question", QpoDirection.DIFFICULTY);
    assertEquals(
        Map.of("prompt", "<prefix>", "chosen", "harder question", "rejected", "question"),
        pair.trlRow());
    assertEquals(List.of("prompt", "chosen", "rejected"), List.copyOf(pair.trlRow().keySet()));
  }

  @Test
  void unusableRewritesMakeNoPair() {
    assertEquals(Optional.of("rewriter wrote nothing"), DpoPair.unusable("q", "  "));
    assertEquals(
        Optional.of("rewrite is identical to the original"), DpoPair.unusable("a  b\n", " a b"));
    assertEquals(Optional.empty(), DpoPair.unusable("a b", "a b c"));
  }

  @Test
  void bestOfNKeepsTheHighestScoreAndTheFirstOnTies() {
    assertEquals(2, BestOfN.best(Arrays.asList(3.0, null, 7.0, 7.0, 1.0)));
    assertEquals(-1, BestOfN.best(Arrays.asList(null, null)));
    assertEquals(-1, BestOfN.best(List.of()));
    assertEquals(1, BestOfN.best(Arrays.asList(Double.NaN, 0.0)));
  }

  @Test
  void rewardScoresAreReadFromJsonWithinRange() {
    assertEquals(OptionalDouble.of(8), RewardScore.parse("{\"score\": 8}", 10));
    assertEquals(OptionalDouble.of(6.5), RewardScore.parse("Sure! {\"score\":6.5} done", 10));
    assertEquals(OptionalDouble.empty(), RewardScore.parse("{\"score\": 11}", 10));
    assertEquals(OptionalDouble.empty(), RewardScore.parse("{\"score\": \"8\"}", 10));
    assertEquals(OptionalDouble.empty(), RewardScore.parse("score 8", 10));
    assertEquals(OptionalDouble.empty(), RewardScore.parse("{\"score\": 8", 10));
  }
}
