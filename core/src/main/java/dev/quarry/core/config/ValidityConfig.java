package dev.quarry.core.config;

import dev.quarry.core.difficulty.ValidityRule;

/**
 * The minimum-validity rule for δ; see {@link ValidityRule}.
 *
 * @param minReplies the fewest solver replies a candidate's δ may stand on; null (configs written
 *     before it existed, or left out) means {@code minRolloutsPerInput}
 */
public record ValidityConfig(int minValidInputs, int minRolloutsPerInput, Integer minReplies) {
  public ValidityConfig(int minValidInputs, int minRolloutsPerInput) {
    this(minValidInputs, minRolloutsPerInput, null);
  }

  public ValidityRule toRule() {
    return new ValidityRule(
        minValidInputs, minRolloutsPerInput, minReplies == null ? minRolloutsPerInput : minReplies);
  }
}
