package dev.quarry.core.sparq;

/** How a parent is drawn from the archive. */
public enum ParentSelection {
  /** Every entry equally likely: crowded niches are drawn more often. */
  UNIFORM,
  /** A niche uniformly, then an entry of it uniformly: rare skill combinations get their share. */
  DIVERSE
}
