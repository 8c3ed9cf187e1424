package dev.quarry.core.concepts;

/**
 * Statistics of one concept pair over the seed set.
 *
 * @param freq how many seed problems hold both concepts
 * @param diff mean difficulty (1–5) of those seed problems
 * @param weight QueST's w(u,v) = log(α·freq + (1−α)·diff + ε)
 */
public record EdgeStats(String source, String target, int freq, double diff, double weight) {}
