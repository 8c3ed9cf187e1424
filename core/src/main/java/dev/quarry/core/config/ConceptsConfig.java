package dev.quarry.core.config;

/**
 * Concept sampling.
 *
 * @param alpha QueST's α in w(u,v) = log(α·freq + (1−α)·diff + ε)
 * @param maxSteps the longest random walk (≤ 6)
 * @param fewShot how many nearest seed problems are shown to the generator
 */
public record ConceptsConfig(double alpha, int maxSteps, int fewShot) {}
