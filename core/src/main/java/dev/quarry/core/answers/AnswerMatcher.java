package dev.quarry.core.answers;

import java.util.OptionalDouble;

/**
 * Decides whether two final answers are the same: equal after {@link AnswerNormalizer}, or both
 * numbers (fractions included) within a relative tolerance, so {@code 0.5}, {@code 1/2} and {@code
 * \dfrac{1}{2}} agree, and {@code 1,000} equals {@code 1000}.
 *
 * @param relativeTolerance |a − b| ≤ tol · max(1, |a|, |b|) counts as equal; e.g. 1e-6
 */
public record AnswerMatcher(double relativeTolerance) {
  public AnswerMatcher {
    if (!(relativeTolerance >= 0 && relativeTolerance < 1)) {
      throw new IllegalArgumentException(
          "relative tolerance must be in [0, 1), got " + relativeTolerance);
    }
  }

  public boolean equivalent(String a, String b) {
    if (a == null || b == null) {
      return false;
    }
    String x = AnswerNormalizer.normalize(a);
    String y = AnswerNormalizer.normalize(b);
    if (x.isEmpty() || y.isEmpty()) {
      return false;
    }
    if (x.equals(y)) {
      return true;
    }
    OptionalDouble u = NumericValue.of(x);
    OptionalDouble v = NumericValue.of(y);
    if (u.isEmpty() || v.isEmpty()) {
      return false;
    }
    double p = u.getAsDouble();
    double q = v.getAsDouble();
    double scale = Math.max(1, Math.max(Math.abs(p), Math.abs(q)));
    return Math.abs(p - q) <= relativeTolerance * scale;
  }
}
