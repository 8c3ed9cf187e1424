package dev.quarry.core.scalequest;

import java.util.SplittableRandom;

/**
 * Which way QPO rewrites a question. ScaleQuest optimises one property per question, picked at
 * random, because asking for "more solvable and harder" at once pulls in opposite directions.
 */
public enum QpoDirection {
  SOLVABILITY,
  DIFFICULTY;

  /** Seeded, so a re-run rewrites each question the same way. */
  public static QpoDirection choose(long seed, double difficultyShare) {
    return new SplittableRandom(seed).nextDouble() < difficultyShare ? DIFFICULTY : SOLVABILITY;
  }
}
