package dev.quarry.core.config;

/**
 * Near-duplicate removal across a whole run (MinHash over word shingles, LSH banding).
 *
 * @param enabled whether selected rows are checked before a shard is written
 * @param threshold estimated Jaccard similarity at or above which a row duplicates an earlier one
 * @param shingleSize words per shingle
 * @param bands LSH bands; bands × rows hash functions
 * @param rows hash positions per band
 */
public record DedupConfig(
    boolean enabled, double threshold, int shingleSize, int bands, int rows) {}
