package dev.quarry.core.sparq;

/** How the problems kept for the dataset are chosen under a sample budget. */
public enum FinalFilter {
  /** The highest-quality problems (hardest that are still solved sometimes). */
  QUALITY,
  /**
   * Round-robin over niches, best first within each: as many skill combinations as the budget
   * allows.
   */
  DIVERSITY
}
