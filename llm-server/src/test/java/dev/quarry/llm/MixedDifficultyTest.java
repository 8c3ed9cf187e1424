package dev.quarry.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class MixedDifficultyTest {
  @Test
  void problemsSpreadFromNeverToAlwaysSolved() {
    TreeSet<Double> seen = new TreeSet<>();
    for (int i = 0; i < 500; i++) {
      seen.add(MixedDifficulty.solveProbability("problem " + i));
    }
    assertEquals(11, seen.size(), "every chance 0, 0.1, ..., 1 occurs: " + seen);
  }

  @Test
  void aRolloutIsTheSameInWavesAsInOneRequest() {
    String problem = "problem 7";
    long seed = 123_456_789L;
    for (int rollout = 0; rollout < 16; rollout++) {
      // Choice `rollout` of one request, and choice 0 or 1 of a wave of two starting there.
      boolean oneRequest = MixedDifficulty.right(problem, seed, rollout);
      int first = rollout - rollout % 2;
      assertEquals(oneRequest, MixedDifficulty.right(problem, seed + first, rollout - first));
    }
  }

  @Test
  void theShareRightFollowsTheProblemsChance() {
    for (int i = 0; i < 40; i++) {
      String problem = "problem " + i;
      double p = MixedDifficulty.solveProbability(problem);
      int right = 0;
      for (int r = 0; r < 4000; r++) {
        right += MixedDifficulty.right(problem, 99, r) ? 1 : 0;
      }
      assertTrue(
          Math.abs(right / 4000.0 - p) < 0.04, problem + ": p=" + p + " share=" + right / 4000.0);
    }
  }
}
