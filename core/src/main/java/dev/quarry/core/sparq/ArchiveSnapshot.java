package dev.quarry.core.sparq;

import java.util.List;

/**
 * The archive as stored between rounds: capacity and entries in insertion order (the order breaks
 * eviction ties, so it is part of the state).
 */
public record ArchiveSnapshot(int nicheCapacity, List<ArchiveEntry> entries) {
  public ArchiveSnapshot {
    entries = List.copyOf(entries);
  }
}
