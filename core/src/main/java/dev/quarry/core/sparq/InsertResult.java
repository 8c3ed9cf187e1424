package dev.quarry.core.sparq;

/**
 * What inserting a problem did to the archive.
 *
 * @param evictedId the entry it replaced, for {@link Kind#REPLACED}; else null
 */
public record InsertResult(Kind kind, String evictedId) {
  public enum Kind {
    /** Its niche had room. */
    ADDED,
    /** Its niche was full; it replaced the lowest-quality entry. */
    REPLACED,
    /** Its niche was full of entries at least as good. */
    REJECTED,
    /** An entry with this id is already there (a retried update): nothing changed. */
    DUPLICATE
  }

  static InsertResult of(Kind kind) {
    return new InsertResult(kind, null);
  }
}
