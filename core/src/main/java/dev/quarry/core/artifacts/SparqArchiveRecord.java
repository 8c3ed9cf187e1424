package dev.quarry.core.artifacts;

import dev.quarry.core.sparq.ArchiveSnapshot;
import java.util.List;

/**
 * A stored SPARQ archive: the skill vocabulary fixed at the run's start (so every round tags with
 * the same skills) and the archive itself.
 *
 * @param round the round after which this is the archive; -1 for the seed archive
 */
public record SparqArchiveRecord(
    String runId, int round, List<String> vocabulary, ArchiveSnapshot archive) {
  public SparqArchiveRecord {
    vocabulary = List.copyOf(vocabulary);
  }
}
