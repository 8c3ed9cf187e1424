package dev.quarry.core.adaptive;

import java.util.OptionalDouble;

/**
 * When to stop sampling a QueST candidate's rollouts: the prompt keeps its candidate of highest δ,
 * so a candidate whose δ cannot reach the lowest δ the current hardest candidate can end at will
 * never be kept (it only needs a true δ for its own record, which is then marked as partial), and a
 * candidate whose δ is known to within {@code width} gains little from more rollouts.
 *
 * @param width stop once δ's interval is at most this wide; 0 never stops for width
 */
public record HardestCandidateRule(double width) {
  public HardestCandidateRule {
    if (!(width >= 0 && width <= 1)) {
      throw new IllegalArgumentException("width must be in [0, 1], got " + width);
    }
  }

  /**
   * @param delta what the candidate's δ can still end at
   * @param remaining rollouts left in the fixed budget
   * @param hardestLowerBound the lowest δ the prompt's current hardest other candidate can end at,
   *     empty when there is none yet
   */
  public StopReason decide(Interval delta, int remaining, OptionalDouble hardestLowerBound) {
    if (remaining == 0) {
      return StopReason.BUDGET;
    }
    if (hardestLowerBound.isPresent() && delta.hi() < hardestLowerBound.getAsDouble()) {
      return StopReason.CANNOT_WIN;
    }
    if (width > 0 && delta.width() <= width) {
      return StopReason.NARROW;
    }
    return StopReason.CONTINUE;
  }
}
