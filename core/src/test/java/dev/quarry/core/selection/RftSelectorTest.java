package dev.quarry.core.selection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quarry.core.difficulty.DifficultyScore;
import java.util.List;
import org.junit.jupiter.api.Test;

class RftSelectorTest {
  static ScoredCandidate valid(int index, double delta) {
    return new ScoredCandidate(index, new DifficultyScore(true, delta, 1, 1, 2, 2, null));
  }

  static ScoredCandidate invalid(int index) {
    return new ScoredCandidate(index, DifficultyScore.invalid("no valid execution", 0, 1, 0, 2));
  }

  @Test
  void keepsTheHardestValidCandidate() {
    assertEquals(
        2,
        RftSelector.hardest(List.of(valid(0, 0.1), invalid(1), valid(2, 0.6), valid(3, 0.3)))
            .orElseThrow()
            .candidateIndex());
  }

  @Test
  void tiesGoToTheLowestIndex() {
    assertEquals(
        1,
        RftSelector.hardest(List.of(valid(3, 0.5), valid(1, 0.5), valid(2, 0.5)))
            .orElseThrow()
            .candidateIndex());
  }

  @Test
  void noValidCandidateSelectsNothing() {
    assertTrue(RftSelector.hardest(List.of(invalid(0), invalid(1))).isEmpty());
  }
}
