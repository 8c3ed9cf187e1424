package dev.quarry.core.sparq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quarry.core.artifacts.ArtifactRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ArchiveTest {
  static ArchiveEntry entry(String id, Niche niche, double quality) {
    return new ArchiveEntry(
        id,
        ArchiveEntry.GENERATED,
        niche,
        quality,
        1 - quality,
        new ArtifactRef("0".repeat(64), 1),
        0);
  }

  @Test
  void nichesAreSortedSkillTuples() {
    assertEquals(Niche.of("algebra", "counting"), Niche.of("counting", "algebra", "counting"));
    assertEquals("algebra|counting", Niche.of("counting", "algebra").key());
    assertEquals("", Niche.of().key());
  }

  @Test
  void vocabularyKeepsTheMostCommonSkillsWithAlphabeticalTies() {
    SkillVocabulary vocabulary =
        SkillVocabulary.mostCommon(
            List.of(
                List.of("Algebra", "geometry"),
                List.of("algebra", "counting"),
                List.of("counting", "algebra"),
                List.of("zeta", "beta")),
            3);
    // algebra 3, counting 2, then beta/geometry/zeta 1 each: beta wins the tie.
    assertEquals(List.of("algebra", "counting", "beta"), vocabulary.skills());
    // Unknown skills dropped, duplicates folded, at most max, in the tagger's order.
    assertEquals(
        Niche.of("algebra", "counting"),
        vocabulary.niche(List.of("Counting", "topology", "algebra", "beta"), 2));
    assertEquals(Niche.of(), vocabulary.niche(List.of("topology"), 3));
  }

  @Test
  void aFullNicheEvictsItsLowestQualityOnlyForABetterProblem() {
    Niche n = Niche.of("algebra");
    QualityDiversityArchive archive = new QualityDiversityArchive(2);
    assertEquals(InsertResult.Kind.ADDED, archive.insert(entry("a", n, 0.5)).kind());
    assertEquals(InsertResult.Kind.ADDED, archive.insert(entry("b", n, 0.3)).kind());
    assertEquals(
        InsertResult.Kind.REJECTED,
        archive.insert(entry("c", n, 0.3)).kind(),
        "equal is not better");
    assertEquals(InsertResult.Kind.REJECTED, archive.insert(entry("d", n, 0.2)).kind());
    InsertResult replaced = archive.insert(entry("e", n, 0.4));
    assertEquals(new InsertResult(InsertResult.Kind.REPLACED, "b"), replaced);
    assertEquals(List.of("a", "e"), ids(archive.entries()));
    // Another niche has its own capacity.
    assertEquals(
        InsertResult.Kind.ADDED, archive.insert(entry("f", Niche.of("geometry"), 0.1)).kind());
    assertEquals(3, archive.size());
  }

  @Test
  void amongEquallyWeakEntriesTheOldestIsEvicted() {
    Niche n = Niche.of("x");
    QualityDiversityArchive archive = new QualityDiversityArchive(3);
    archive.insert(entry("old", n, 0.2));
    archive.insert(entry("mid", n, 0.6));
    archive.insert(entry("new", n, 0.2));
    assertEquals("old", archive.insert(entry("better", n, 0.25)).evictedId());
    assertEquals("new", archive.insert(entry("best", n, 0.9)).evictedId());
    assertEquals(List.of("mid", "better", "best"), ids(archive.entries()));
  }

  @Test
  void reinsertingAnIdChangesNothing() {
    QualityDiversityArchive archive = new QualityDiversityArchive(1);
    archive.insert(entry("a", Niche.of("x"), 0.5));
    assertEquals(
        InsertResult.Kind.DUPLICATE, archive.insert(entry("a", Niche.of("x"), 0.9)).kind());
    assertEquals(0.5, archive.entries().get(0).quality());
    assertEquals(1, archive.size());
  }

  @Test
  void aSnapshotRebuildsTheSameArchiveIncludingTieOrder() {
    SplittableRandom random = new SplittableRandom(9);
    QualityDiversityArchive archive = new QualityDiversityArchive(3);
    List<Niche> niches = List.of(Niche.of("a"), Niche.of("a", "b"), Niche.of("c"));
    for (int i = 0; i < 60; i++) {
      archive.insert(entry("p" + i, niches.get(random.nextInt(3)), random.nextInt(5) / 4.0));
    }
    QualityDiversityArchive copy = QualityDiversityArchive.of(archive.snapshot());
    assertEquals(archive.snapshot(), copy.snapshot());
    // The same later insert evicts the same entry in both.
    ArchiveEntry next = entry("next", Niche.of("a"), 0.6);
    assertEquals(archive.insert(next), copy.insert(next));
  }

  @Test
  void propertiesHoldUnderRandomInserts() {
    SplittableRandom random = new SplittableRandom(17);
    for (int trial = 0; trial < 50; trial++) {
      int capacity = 1 + random.nextInt(4);
      QualityDiversityArchive archive = new QualityDiversityArchive(capacity);
      List<ArchiveEntry> offered = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        ArchiveEntry e =
            entry("t" + i, Niche.of("s" + random.nextInt(4)), random.nextInt(11) / 10.0);
        offered.add(e);
        archive.insert(e);
      }
      for (Map.Entry<Niche, List<ArchiveEntry>> niche : archive.niches().entrySet()) {
        List<ArchiveEntry> kept = niche.getValue();
        assertTrue(kept.size() <= capacity);
        List<ArchiveEntry> all =
            offered.stream().filter(e -> e.niche().equals(niche.getKey())).toList();
        assertEquals(
            Math.min(capacity, all.size()),
            kept.size(),
            "a niche fills up before anything is rejected");
        // No rejected problem is better than the weakest one kept.
        double weakestKept = kept.stream().mapToDouble(ArchiveEntry::quality).min().orElseThrow();
        for (ArchiveEntry e : all) {
          if (!kept.contains(e)) {
            assertFalse(e.quality() > weakestKept, "rejected " + e.id() + " beats a kept entry");
          }
        }
      }
    }
  }

  @Test
  void capacityMustBePositive() {
    assertThrows(IllegalArgumentException.class, () -> new QualityDiversityArchive(0));
  }

  static List<String> ids(List<ArchiveEntry> entries) {
    return entries.stream().map(ArchiveEntry::id).toList();
  }
}
