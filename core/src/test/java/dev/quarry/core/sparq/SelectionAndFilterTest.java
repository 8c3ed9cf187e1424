package dev.quarry.core.sparq;

import static dev.quarry.core.sparq.ArchiveTest.entry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SelectionAndFilterTest {
  /** Niche (a) holds 9 problems, niche (b) holds 1. */
  private static QualityDiversityArchive lopsided() {
    QualityDiversityArchive archive = new QualityDiversityArchive(10);
    for (int i = 0; i < 9; i++) {
      archive.insert(entry("a" + i, Niche.of("a"), 0.5));
    }
    archive.insert(entry("b0", Niche.of("b"), 0.5));
    return archive;
  }

  private static Map<String, Integer> nicheCounts(List<ArchiveEntry> parents) {
    Map<String, Integer> counts = new HashMap<>();
    parents.forEach(p -> counts.merge(p.niche().key(), 1, Integer::sum));
    return counts;
  }

  @Test
  void uniformSelectionFollowsTheEntries() {
    List<ArchiveEntry> parents =
        ParentSelector.select(lopsided(), ParentSelection.UNIFORM, 20_000, 3);
    // Expected share of niche (b): 1/10.
    double share = nicheCounts(parents).get("b") / 20_000.0;
    assertEquals(0.1, share, 0.01);
  }

  @Test
  void diverseSelectionFollowsTheNiches() {
    List<ArchiveEntry> parents =
        ParentSelector.select(lopsided(), ParentSelection.DIVERSE, 20_000, 3);
    // Expected share of niche (b): 1/2, and each of a's 9 entries 1/18 of the draws.
    double share = nicheCounts(parents).get("b") / 20_000.0;
    assertEquals(0.5, share, 0.015);
    long a3 = parents.stream().filter(p -> p.id().equals("a3")).count();
    assertEquals(1.0 / 18, a3 / 20_000.0, 0.006);
  }

  @Test
  void selectionIsReproducibleForASeed() {
    for (ParentSelection selection : ParentSelection.values()) {
      assertEquals(
          ParentSelector.select(lopsided(), selection, 50, 42),
          ParentSelector.select(lopsided(), selection, 50, 42));
    }
    assertThrows(
        IllegalArgumentException.class,
        () -> ParentSelector.select(new QualityDiversityArchive(1), ParentSelection.UNIFORM, 1, 1));
  }

  private static final List<FilterCandidate> POOL =
      List.of(
          new FilterCandidate("p1", Niche.of("a"), 0.9),
          new FilterCandidate("p2", Niche.of("a"), 0.8),
          new FilterCandidate("p3", Niche.of("a"), 0.7),
          new FilterCandidate("p4", Niche.of("b"), 0.3),
          new FilterCandidate("p5", Niche.of("c", "d"), 0.2),
          new FilterCandidate("p6", Niche.of("c", "d"), 0.0), // outside the band: never kept
          new FilterCandidate("p7", Niche.of("b"), 0.8));

  private static List<String> ids(List<FilterCandidate> kept) {
    return kept.stream().map(FilterCandidate::id).toList();
  }

  @Test
  void qualityFilterKeepsTheBestUnderTheBudget() {
    assertEquals(
        List.of("p1", "p2", "p7"),
        ids(FinalFilters.apply(POOL, FinalFilter.QUALITY, 3)),
        "p2/p7 tie by id");
    assertEquals(
        List.of("p1", "p2", "p7", "p3", "p4", "p5"),
        ids(FinalFilters.apply(POOL, FinalFilter.QUALITY, 0)));
  }

  @Test
  void diversityFilterCoversNichesBeforeDepth() {
    // Pass 1: best of each niche a (p1 .9), b (p7 .8), cd (p5 .2); pass 2: p2 .8, p4 .3; pass 3:
    // p3.
    assertEquals(
        List.of("p1", "p7", "p5"), ids(FinalFilters.apply(POOL, FinalFilter.DIVERSITY, 3)));
    assertEquals(
        List.of("p1", "p7", "p5", "p2"), ids(FinalFilters.apply(POOL, FinalFilter.DIVERSITY, 4)));
    assertEquals(
        List.of("p1", "p7", "p5", "p2", "p4", "p3"),
        ids(FinalFilters.apply(POOL, FinalFilter.DIVERSITY, 0)));
    // The quality filter with the same budget of 3 covers only two niches.
    assertEquals(
        2,
        FinalFilters.apply(POOL, FinalFilter.QUALITY, 3).stream()
            .map(FilterCandidate::niche)
            .distinct()
            .count());
  }

  @Test
  void filtersDoNotDependOnInputOrder() {
    List<FilterCandidate> reversed = new ArrayList<>(POOL);
    Collections.reverse(reversed);
    for (FinalFilter filter : FinalFilter.values()) {
      for (int budget = 0; budget <= 7; budget++) {
        List<FilterCandidate> kept = FinalFilters.apply(POOL, filter, budget);
        assertEquals(kept, FinalFilters.apply(reversed, filter, budget));
        assertTrue(kept.size() <= (budget == 0 ? 6 : budget));
        assertTrue(kept.stream().allMatch(c -> c.quality() > 0));
      }
    }
    assertThrows(
        IllegalArgumentException.class, () -> FinalFilters.apply(POOL, FinalFilter.QUALITY, -1));
  }
}
