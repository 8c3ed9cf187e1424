package dev.quarry.core.seeds;

/** A line of a seed file that could not be used, and why. Line numbers start at 1. */
public record SkippedLine(int lineNumber, String reason) {
  @Override
  public String toString() {
    return "line " + lineNumber + ": " + reason;
  }
}
