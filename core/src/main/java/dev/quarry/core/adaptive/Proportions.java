package dev.quarry.core.adaptive;

/**
 * Intervals for a rate measured as k successes in n trials (a solve rate, a fail rate).
 *
 * <p>Two kinds, for two promises. {@link #reachable} is exact and certain: the values the rate can
 * still end at when all {@code total} trials are made, so stopping on it never changes a decision
 * that the full sample would make. {@link #wilson} is the Wilson score interval: a statistical
 * statement about the true rate, narrower, and sound for small n (unlike the normal approximation,
 * it never leaves [0, 1] and is not degenerate at k = 0 or k = n).
 */
public final class Proportions {
  private Proportions() {}

  /** The rates k' / total that the full sample can still reach from k of n. */
  public static Interval reachable(int k, int n, int total) {
    check(k, n);
    if (total < n) {
      throw new IllegalArgumentException("total " + total + " < trials so far " + n);
    }
    if (total == 0) {
      return new Interval(0, 1);
    }
    return new Interval((double) k / total, (double) (k + total - n) / total);
  }

  /** The Wilson score interval at z standard deviations (1.96 for 95%); [0, 1] when n = 0. */
  public static Interval wilson(int k, int n, double z) {
    check(k, n);
    if (!(z > 0)) {
      throw new IllegalArgumentException("z must be > 0, got " + z);
    }
    if (n == 0) {
      return new Interval(0, 1);
    }
    double p = (double) k / n;
    double z2 = z * z;
    double denominator = 1 + z2 / n;
    double centre = (p + z2 / (2.0 * n)) / denominator;
    double half = z * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n)) / denominator;
    return new Interval(Math.max(0, centre - half), Math.min(1, centre + half));
  }

  private static void check(int k, int n) {
    if (n < 0 || k < 0 || k > n) {
      throw new IllegalArgumentException("need 0 <= k <= n, got k=" + k + " n=" + n);
    }
  }
}
