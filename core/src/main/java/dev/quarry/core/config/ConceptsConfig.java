package dev.quarry.core.config;

/**
 * Concept sampling.
 *
 * @param alpha QueST's α in w(u,v) = log(α·freq + (1−α)·diff + ε)
 * @param maxSteps the longest random walk (≤ 6)
 * @param fewShot how many nearest seed problems are shown to the generator
 * @param extract when true, the conceptExtractor role lists each seed problem's concepts, the names
 *     are normalised and merged, and the graph is built from them instead of the concepts the seed
 *     file gives (which then only stand in for a seed whose extraction failed)
 */
public record ConceptsConfig(double alpha, int maxSteps, int fewShot, boolean extract) {
  public ConceptsConfig(double alpha, int maxSteps, int fewShot) {
    this(alpha, maxSteps, fewShot, false);
  }
}
