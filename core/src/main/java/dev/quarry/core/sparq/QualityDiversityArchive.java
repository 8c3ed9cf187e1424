package dev.quarry.core.sparq;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * SPARQ's quality-diversity archive: niches keyed by sorted skill tuples, each holding at most
 * {@code nicheCapacity} problems. A problem entering a full niche evicts the lowest-quality entry
 * if, and only if, it is strictly better; among equally low entries the oldest goes. Inserting an
 * id already present changes nothing, so replaying an update cannot double-insert.
 */
public final class QualityDiversityArchive {
  private final int nicheCapacity;
  private final Map<Niche, List<ArchiveEntry>> niches = new TreeMap<>();
  private final Set<String> ids = new HashSet<>();

  public QualityDiversityArchive(int nicheCapacity) {
    if (nicheCapacity < 1) {
      throw new IllegalArgumentException("niche capacity must be at least 1, got " + nicheCapacity);
    }
    this.nicheCapacity = nicheCapacity;
  }

  /** Rebuilds an archive by re-inserting the stored entries in their order. */
  public static QualityDiversityArchive of(ArchiveSnapshot snapshot) {
    QualityDiversityArchive archive = new QualityDiversityArchive(snapshot.nicheCapacity());
    snapshot.entries().forEach(archive::insert);
    return archive;
  }

  public InsertResult insert(ArchiveEntry entry) {
    if (ids.contains(entry.id())) {
      return InsertResult.of(InsertResult.Kind.DUPLICATE);
    }
    List<ArchiveEntry> niche = niches.computeIfAbsent(entry.niche(), n -> new ArrayList<>());
    if (niche.size() < nicheCapacity) {
      niche.add(entry);
      ids.add(entry.id());
      return InsertResult.of(InsertResult.Kind.ADDED);
    }
    int weakest = 0;
    for (int i = 1; i < niche.size(); i++) {
      // Strictly lower only: the earliest of equally weak entries stays the one to evict.
      if (niche.get(i).quality() < niche.get(weakest).quality()) {
        weakest = i;
      }
    }
    ArchiveEntry evicted = niche.get(weakest);
    if (!(entry.quality() > evicted.quality())) {
      return InsertResult.of(InsertResult.Kind.REJECTED);
    }
    niche.remove(weakest);
    niche.add(entry);
    ids.remove(evicted.id());
    ids.add(entry.id());
    return new InsertResult(InsertResult.Kind.REPLACED, evicted.id());
  }

  public int nicheCapacity() {
    return nicheCapacity;
  }

  /** Niches in sorted order, each with its entries oldest first. */
  public Map<Niche, List<ArchiveEntry>> niches() {
    Map<Niche, List<ArchiveEntry>> view = new TreeMap<>();
    niches.forEach((k, v) -> view.put(k, Collections.unmodifiableList(new ArrayList<>(v))));
    return Collections.unmodifiableMap(view);
  }

  /** Every entry: niches in sorted order, oldest first within a niche. */
  public List<ArchiveEntry> entries() {
    List<ArchiveEntry> all = new ArrayList<>();
    niches.values().forEach(all::addAll);
    return all;
  }

  public int size() {
    return ids.size();
  }

  public boolean contains(String id) {
    return ids.contains(id);
  }

  public ArchiveSnapshot snapshot() {
    return new ArchiveSnapshot(nicheCapacity, entries());
  }
}
