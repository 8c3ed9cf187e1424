package dev.quarry.core.sparq;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Draws the parents of a round's prompts from the archive, with replacement, reproducibly for a
 * given seed: entries are visited in the archive's fixed order (sorted niches, oldest first).
 */
public final class ParentSelector {
  private ParentSelector() {}

  public static List<ArchiveEntry> select(
      QualityDiversityArchive archive, ParentSelection selection, int count, long seed) {
    if (archive.size() == 0) {
      throw new IllegalArgumentException("the archive is empty: no parent to select");
    }
    SplittableRandom random = new SplittableRandom(seed);
    List<ArchiveEntry> all = archive.entries();
    List<List<ArchiveEntry>> niches = new ArrayList<>(archive.niches().values());
    List<ArchiveEntry> parents = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      parents.add(
          switch (selection) {
            case UNIFORM -> all.get(random.nextInt(all.size()));
            case DIVERSE -> {
              List<ArchiveEntry> niche = niches.get(random.nextInt(niches.size()));
              yield niche.get(random.nextInt(niche.size()));
            }
          });
    }
    return parents;
  }
}
