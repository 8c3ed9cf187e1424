package dev.quarry.llm;

import static dev.quarry.llm.ScriptedReplies.mix;

/**
 * The solver of the {@code mixed-difficulty} mode (the adaptive-rollouts benchmark): each problem
 * has its own chance of being solved, one of 0, 0.1, …, 1 chosen by its text, so a run sees
 * problems from never solved to always solved, as a real model does.
 *
 * <p>A rollout's rightness depends on the problem and on its own seed, request seed + choice index:
 * choice i of a request seeded s is the same rollout as choice 0 of a request seeded s + i. Sampled
 * in waves (a wave from rollout r seeded s + r) or in one request, a candidate then gets the same
 * rollouts, so adaptive and fixed sampling can be compared on the same evidence.
 */
final class MixedDifficulty {
  private static final long SALT = 0x50_4C5EL;

  private MixedDifficulty() {}

  /** The chance that a rollout solves {@code problem} (the solver's prompt that states it). */
  static double solveProbability(String problem) {
    return Math.floorMod(mix(problem.hashCode(), SALT), 11) / 10.0;
  }

  /** Whether choice {@code index} of a request seeded {@code seed} solves the problem. */
  static boolean right(String problem, long seed, int index) {
    double uniform = (mix(mix(problem.hashCode(), SALT + 1), seed + index) >>> 11) * 0x1.0p-53;
    return uniform < solveProbability(problem);
  }

  /**
   * The worked reasoning a rollout starts with: about 300 tokens, as a reasoning model's rollouts
   * are, so that a request's prompt weighs against its completions as in a real run (the other
   * scripted replies are one line, which would make re-sent prompts look dearer than they are).
   */
  static String reasoning() {
    StringBuilder text =
        new StringBuilder("Let me work through this step by step before answering.\n");
    for (int step = 1; step <= 10; step++) {
      text.append("Step ")
          .append(step)
          .append(
              ": re-read the statement, note each quantity it gives and what happens to it, and keep")
          .append(" a running total, checking that nothing is counted twice.\n");
    }
    return text.append("So the answer follows.\n\n").toString();
  }

  /** A wrong answer's offset: wrong rollouts disagree with each other too (1 to 40 off). */
  static long wrongOffset(long seed, int index) {
    return 1 + Math.floorMod(mix(seed + index, SALT + 2), 40);
  }
}
