package dev.quarry.core.dedup;

/**
 * How near-duplicates are found.
 *
 * @param threshold estimated Jaccard similarity of word shingles at or above which a text is a near
 *     duplicate of an earlier one
 * @param shingleSize words per shingle
 * @param bands LSH bands; {@code bands × rows} is the signature length
 * @param rows positions per band
 * @param seed seeds the MinHash functions; must stay the same for a whole run
 */
public record DedupSettings(double threshold, int shingleSize, int bands, int rows, long seed) {
  public DedupSettings {
    if (!(threshold > 0 && threshold <= 1)) {
      throw new IllegalArgumentException("threshold must be in (0, 1], got " + threshold);
    }
    if (shingleSize < 1 || bands < 1 || rows < 1) {
      throw new IllegalArgumentException("shingleSize, bands and rows must be >= 1");
    }
  }

  public int numHashes() {
    return bands * rows;
  }
}
