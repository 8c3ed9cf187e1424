package dev.quarry.core.difficulty;

/**
 * When a candidate's δ means something. An input counts only if at least {@code minRolloutsPerInput}
 * rollouts ran validly on it; the candidate needs at least {@code minValidInputs} such inputs.
 */
public record ValidityRule(int minValidInputs, int minRolloutsPerInput) {
  public static final ValidityRule DEFAULT = new ValidityRule(1, 2);

  public ValidityRule {
    if (minValidInputs < 1) {
      throw new IllegalArgumentException("minValidInputs must be >= 1, got " + minValidInputs);
    }
    if (minRolloutsPerInput < 1) {
      throw new IllegalArgumentException(
          "minRolloutsPerInput must be >= 1, got " + minRolloutsPerInput);
    }
  }
}
