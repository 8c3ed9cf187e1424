package dev.quarry.core.concepts;

/** QueST's edge weight: w(u,v) = log(α·freq(u,v) + (1−α)·diff(u,v) + ε). */
public final class EdgeWeight {
  public static final double DEFAULT_ALPHA = 0.2;

  /** Keeps log() finite when an edge has neither frequency nor difficulty. */
  public static final double EPSILON = 1e-6;

  private EdgeWeight() {}

  public static double of(double alpha, int freq, double diff) {
    if (alpha < 0 || alpha > 1) {
      throw new IllegalArgumentException("alpha must be in [0, 1], got " + alpha);
    }
    return Math.log(alpha * freq + (1 - alpha) * diff + EPSILON);
  }
}
