package dev.quarry.core.config;

import dev.quarry.core.difficulty.ValidityRule;

/** The minimum-validity rule for δ; see {@link ValidityRule}. */
public record ValidityConfig(int minValidInputs, int minRolloutsPerInput) {
  public ValidityRule toRule() {
    return new ValidityRule(minValidInputs, minRolloutsPerInput);
  }
}
