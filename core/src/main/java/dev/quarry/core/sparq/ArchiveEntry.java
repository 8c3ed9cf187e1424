package dev.quarry.core.sparq;

import dev.quarry.core.artifacts.ArtifactRef;

/**
 * One problem in the archive.
 *
 * @param id unique key: a seed id, or the dataset key of a generated problem
 * @param origin {@link #SEED} or {@link #GENERATED}
 * @param quality 1 − SR inside the band; seeds enter with 0 (never measured)
 * @param solveRate measured SR, or null for a seed
 * @param problem the stored problem (statement and reference answer)
 * @param round the round that generated it; -1 for a seed
 */
public record ArchiveEntry(
    String id,
    String origin,
    Niche niche,
    double quality,
    Double solveRate,
    ArtifactRef problem,
    int round) {
  public static final String SEED = "seed";
  public static final String GENERATED = "generated";
}
