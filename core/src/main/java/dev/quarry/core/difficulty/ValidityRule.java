package dev.quarry.core.difficulty;

/**
 * When a candidate's δ means something. It needs at least {@code minReplies} solver replies that
 * exist (a reply the endpoint never returned is no rollout); an input counts only if at least
 * {@code minRolloutsPerInput} rollouts ran validly on it; the candidate needs at least {@code
 * minValidInputs} such inputs.
 */
public record ValidityRule(int minValidInputs, int minRolloutsPerInput, int minReplies) {
  public static final ValidityRule DEFAULT = new ValidityRule(1, 2);

  public ValidityRule {
    if (minValidInputs < 1) {
      throw new IllegalArgumentException("minValidInputs must be >= 1, got " + minValidInputs);
    }
    if (minRolloutsPerInput < 1) {
      throw new IllegalArgumentException(
          "minRolloutsPerInput must be >= 1, got " + minRolloutsPerInput);
    }
    if (minReplies < 1) {
      throw new IllegalArgumentException("minReplies must be >= 1, got " + minReplies);
    }
  }

  /** At least as many replies as an input needs valid rollouts. */
  public ValidityRule(int minValidInputs, int minRolloutsPerInput) {
    this(minValidInputs, minRolloutsPerInput, minRolloutsPerInput);
  }
}
