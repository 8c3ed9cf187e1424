package dev.quarry.core.sparq;

/** A scored problem offered to the final filter. */
public record FilterCandidate(String id, Niche niche, double quality) {}
