package dev.quarry.core.sparq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.quarry.core.answers.AnswerMatcher;
import java.util.List;
import org.junit.jupiter.api.Test;

class SolveRateAndQualityTest {
  private final AnswerMatcher matcher = new AnswerMatcher(1e-6);

  @Test
  void solveRateCountsEquivalentFinalAnswers() {
    List<String> rollouts =
        List.of(
            "so \\boxed{\\frac{1}{2}}", // correct
            "The answer is 0.5.", // correct
            "\\boxed{1/3}", // wrong
            "no idea", // no answer: wrong
            "\\boxed{\\dfrac12}"); // correct
    SolveRate sr = SolveRate.of(rollouts, "1/2", matcher);
    assertEquals(new SolveRate(3, 4, 5), sr);
    assertEquals(0.6, sr.rate(), 1e-12);
  }

  @Test
  void qualityIsOneMinusSolveRateInsideTheBandElseZero() {
    QualityBand band = new QualityBand(0.1, 0.9);
    assertEquals(0.0, band.quality(0.0), 0.0, "nobody solved it: likely a wrong reference");
    assertEquals(0.0, band.quality(0.05), 0.0);
    assertEquals(0.9, band.quality(0.1), 1e-12, "lower bound is inside");
    assertEquals(0.625, band.quality(0.375), 1e-12);
    assertEquals(0.1, band.quality(0.9), 1e-12, "upper bound is inside");
    assertEquals(0.0, band.quality(0.95), 0.0, "too easy");
    assertEquals(0.0, band.quality(1.0), 0.0);
    assertThrows(IllegalArgumentException.class, () -> new QualityBand(0.9, 0.1));
  }

  @Test
  void kRolloutsWithHandComputedQuality() {
    // K = 8, 3 correct: SR = 0.375, quality = 0.625.
    List<String> rollouts =
        List.of(
            "\\boxed{7}",
            "\\boxed{7}",
            "7 is it. The answer is 7",
            "\\boxed{8}",
            "\\boxed{6}",
            "",
            "\\boxed{}",
            "\\boxed{70}");
    SolveRate sr = SolveRate.of(rollouts, "7", matcher);
    assertEquals(3, sr.correct());
    assertEquals(6, sr.answered());
    assertEquals(0.625, new QualityBand(0.1, 0.9).quality(sr.rate()), 1e-12);
  }

  @Test
  void inconsistentCountsAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> new SolveRate(3, 2, 5));
    assertThrows(IllegalArgumentException.class, () -> new SolveRate(0, 0, 0));
  }
}
