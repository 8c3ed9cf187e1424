package dev.quarry.core.dedup;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MinHashTest {
  @Test
  void wordsIgnoreCasePunctuationAndSpacing() {
    assertEquals(
        List.of("hello", "world", "x", "y", "3", "5", "fi"),
        TextNormalizer.words("  Hello,\nWORLD!  x_y 3.5 \uFB01"),
        "NFKC folds the ligature");
  }

  @Test
  void shinglesAndExactJaccardByHand() {
    Set<String> a = Shingles.of("A b, c d", 2);
    assertEquals(Set.of("a b", "b c", "c d"), a);
    Set<String> b = Shingles.of("b c d e", 2);
    // A ∩ B = {b c, c d}; A ∪ B = {a b, b c, c d, d e}: 2/4.
    assertEquals(0.5, Shingles.jaccard(a, b), 1e-12);
    assertEquals(Set.of("x y"), Shingles.of("x y", 5), "shorter than k: one whole-text shingle");
    assertTrue(Shingles.of(" ,. ", 3).isEmpty());
  }

  @Test
  void modularHashMatchesBigIntegerArithmetic() {
    Random random = new Random(7);
    BigInteger p = BigInteger.valueOf(MinHasher.MERSENNE_61);
    for (int i = 0; i < 10_000; i++) {
      long a = 1 + (random.nextLong() >>> 3) % (MinHasher.MERSENNE_61 - 1);
      long b = (random.nextLong() >>> 3) % MinHasher.MERSENNE_61;
      long x = (random.nextLong() >>> 3) % MinHasher.MERSENNE_61;
      long expected =
          BigInteger.valueOf(a)
              .multiply(BigInteger.valueOf(x))
              .add(BigInteger.valueOf(b))
              .mod(p)
              .longValue();
      assertEquals(expected, MinHasher.hash(a, b, x));
    }
    long max = MinHasher.MERSENNE_61 - 1;
    assertEquals(
        BigInteger.valueOf(max)
            .multiply(BigInteger.valueOf(max))
            .add(BigInteger.valueOf(max))
            .mod(p)
            .longValue(),
        MinHasher.hash(max, max, max));
  }

  @Test
  void sameSeedSameSignatureOtherSeedOtherFunctions() {
    Set<String> set = Set.of("a", "b", "c");
    assertArrayEquals(new MinHasher(64, 5).signature(set), new MinHasher(64, 5).signature(set));
    assertFalse(
        Arrays.equals(new MinHasher(64, 5).signature(set), new MinHasher(64, 6).signature(set)));
  }

  @Test
  void identicalSetsAgreeEverywhereDisjointSetsAlmostNowhere() {
    MinHasher hasher = new MinHasher(128, 1);
    Set<String> a = range(0, 100);
    assertEquals(
        1.0, MinHasher.similarity(hasher.signature(a), hasher.signature(new HashSet<>(a))));
    assertTrue(
        MinHasher.similarity(hasher.signature(a), hasher.signature(range(100, 200))) <= 0.05);
  }

  @Test
  void estimateIsWithinToleranceOfExactJaccard() {
    // A = 0..99, B = 50..149: |A ∩ B| = 50, |A ∪ B| = 150, J = 1/3.
    Set<String> a = range(0, 100);
    Set<String> b = range(50, 150);
    assertEquals(1.0 / 3, Shingles.jaccard(a, b), 1e-12);
    MinHasher hasher = new MinHasher(256, 42);
    // Standard error sqrt(J(1−J)/256) ≈ 0.029: 0.1 is more than three of them.
    assertEquals(1.0 / 3, MinHasher.similarity(hasher.signature(a), hasher.signature(b)), 0.1);
  }

  @Test
  void propertyEstimatesTrackExactJaccardOverRandomSets() {
    Random random = new Random(2026);
    double totalError = 0;
    int trials = 200;
    for (int t = 0; t < trials; t++) {
      Set<String> a = new HashSet<>();
      Set<String> b = new HashSet<>();
      int universe = 20 + random.nextInt(300);
      for (int i = 0; i < universe; i++) {
        double u = random.nextDouble();
        if (u < 0.4) {
          a.add("w" + i);
        }
        if (u > 0.2 && u < 0.8 || random.nextDouble() < 0.1) {
          b.add("w" + i);
        }
      }
      MinHasher hasher = new MinHasher(200, t);
      double exact = Shingles.jaccard(a, b);
      double estimate = MinHasher.similarity(hasher.signature(a), hasher.signature(b));
      double error = Math.abs(exact - estimate);
      // Each estimate is a mean of 200 Bernoulli(J) trials: 5 standard errors at J = 0.5 is 0.18.
      assertTrue(error <= 0.18, "trial " + t + ": exact " + exact + " estimate " + estimate);
      totalError += error;
    }
    // Mean absolute error of a Binomial(200, J)/200 is at most ≈ 0.8·sqrt(0.25/200) ≈ 0.028.
    assertTrue(totalError / trials < 0.04, "mean error " + totalError / trials);
  }

  @Test
  void bandingProbabilityByHand() {
    // 1 − (1 − 0.8^5)^20 = 1 − 0.67232^20 ≈ 0.999644; 1 − (1 − 0.5^5)^20 = 1 − 0.96875^20 ≈
    // 0.470051.
    assertEquals(0.999644, LshIndex.candidateProbability(0.8, 20, 5), 1e-6);
    assertEquals(0.470051, LshIndex.candidateProbability(0.5, 20, 5), 1e-6);
  }

  @Test
  void lshFindsSignaturesSharingABandOnly() {
    LshIndex index = new LshIndex(2, 2);
    index.add("x", new long[] {1, 2, 3, 4});
    index.add("y", new long[] {1, 2, 9, 9});
    index.add("z", new long[] {7, 7, 3, 4});
    assertEquals(List.of("x", "y"), index.candidates(new long[] {1, 2, 0, 0}));
    assertEquals(List.of("x", "z"), index.candidates(new long[] {0, 0, 3, 4}));
    assertEquals(
        List.of(), index.candidates(new long[] {1, 0, 3, 0}), "a half-matching band is no match");
  }

  private static Set<String> range(int from, int to) {
    Set<String> set = new HashSet<>();
    for (int i = from; i < to; i++) {
      set.add("item-" + i);
    }
    return set;
  }
}
