package dev.quarry.activities.sparq;

import dev.quarry.activities.store.FileNames;
import dev.quarry.activities.store.RecordStore;
import dev.quarry.core.artifacts.SparqArchiveRecord;
import java.io.IOException;
import java.util.Optional;

/**
 * Where a run's SPARQ archives live in the record store: the seed archive, then one snapshot per
 * round under its own key. A round's update reads the snapshot before it and writes its own, so the
 * write is idempotent and a crash between rounds loses nothing.
 */
final class SparqArchiveStore {
  private final RecordStore records;

  SparqArchiveStore(RecordStore records) {
    this.records = records;
  }

  static String seedKey(String runId) {
    return "runs/" + FileNames.safe(runId) + "/sparq/archive-seeds";
  }

  static String roundKey(String runId, int round) {
    return "runs/" + FileNames.safe(runId) + "/sparq/archive-round-" + round;
  }

  Optional<SparqArchiveRecord> seeds(String runId) throws IOException {
    return records.read(seedKey(runId), SparqArchiveRecord.class);
  }

  /** The archive as it stood after {@code round}; the seed archive for round -1. */
  Optional<SparqArchiveRecord> after(String runId, int round) throws IOException {
    return round < 0
        ? seeds(runId)
        : records.read(roundKey(runId, round), SparqArchiveRecord.class);
  }

  void write(SparqArchiveRecord archive) throws IOException {
    records.write(
        archive.round() < 0 ? seedKey(archive.runId()) : roundKey(archive.runId(), archive.round()),
        archive);
  }
}
