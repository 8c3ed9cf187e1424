package dev.quarry.core.adaptive;

/** A closed interval [lo, hi] of a rate in [0, 1]. */
public record Interval(double lo, double hi) {
  public Interval {
    if (!(lo <= hi)) {
      throw new IllegalArgumentException(
          "an interval needs lo <= hi, got [" + lo + ", " + hi + "]");
    }
  }

  /** Wholly inside [a, b]: every value the rate may take is in the band. */
  public boolean within(double a, double b) {
    return lo >= a && hi <= b;
  }

  /** Wholly outside [a, b]: no value the rate may take is in the band. */
  public boolean outside(double a, double b) {
    return hi < a || lo > b;
  }

  public double width() {
    return hi - lo;
  }
}
