package dev.quarry.core.sandbox;

/** Per-execution caps enforced inside the sandbox. */
public record ExecutionLimits(double wallSeconds, int memoryMb, int outputBytes) {
  public static final ExecutionLimits DEFAULT = new ExecutionLimits(5.0, 256, 1 << 20);

  public ExecutionLimits {
    if (!(wallSeconds > 0)) {
      throw new IllegalArgumentException("wallSeconds must be > 0, got " + wallSeconds);
    }
    if (memoryMb < 16) {
      throw new IllegalArgumentException("memoryMb must be >= 16, got " + memoryMb);
    }
    if (outputBytes < 1) {
      throw new IllegalArgumentException("outputBytes must be >= 1, got " + outputBytes);
    }
  }
}
