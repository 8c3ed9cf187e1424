package dev.quarry.core.dedup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NearDuplicateFilterTest {
  static final DedupSettings SETTINGS = new DedupSettings(0.7, 3, 20, 5, 11);

  static final String LANTERNS =
      "A street has n lanterns standing in a row numbered 1 to n from west to east. Lantern i"
          + " shines with brightness b_i. The mayor asks q questions; each names two lanterns l"
          + " and r and asks for the total brightness of lanterns l to r. Answer every question.";
  static final String GRID =
      "You are given a grid of h rows and w columns. Some cells are walls. Find the length of"
          + " the shortest path from the top left cell to the bottom right cell moving in four"
          + " directions, or print -1 when the bottom right cell cannot be reached.";

  @Test
  void reformattedCopyIsDroppedAndNamesTheFirst() {
    NearDuplicateFilter filter = new NearDuplicateFilter(SETTINGS);
    var first = filter.offer("run/0/0", LANTERNS);
    var copy = filter.offer("run/0/1", LANTERNS.toUpperCase().replace(".", " .\n"));
    var other = filter.offer("run/0/2", GRID);
    assertTrue(first.kept());
    assertFalse(copy.kept());
    assertEquals("run/0/0", copy.duplicateOf());
    assertEquals(1.0, copy.similarity(), "same words, same shingles, identical signature");
    assertEquals("near duplicate of run/0/0 (estimated Jaccard 1.000)", copy.reason());
    assertTrue(other.kept());
    assertEquals(2, filter.indexed(), "dropped texts are not indexed");
  }

  @Test
  void oneChangedWordIsStillANearDuplicate() {
    // 50 words (b_i is two), 48 distinct 3-shingles; "mayor" sits in 3 of them, so 45 are shared
    // and the union has 48 + 3 = 51: J = 45/51 ≈ 0.882.
    String changed = LANTERNS.replace("mayor", "queen");
    var a = Shingles.of(LANTERNS, 3);
    var b = Shingles.of(changed, 3);
    assertEquals(48, a.size());
    assertEquals(45.0 / 51, Shingles.jaccard(a, b), 1e-12);
    NearDuplicateFilter filter = new NearDuplicateFilter(SETTINGS);
    filter.offer("first", LANTERNS);
    var decision = filter.offer("second", changed);
    assertFalse(decision.kept());
    assertEquals(45.0 / 51, decision.similarity(), 0.1);
  }

  @Test
  void stateRestoredFromEarlierBatchesCatchesLaterDuplicates() {
    NearDuplicateFilter round0 = new NearDuplicateFilter(SETTINGS);
    var kept = round0.offer("r0", LANTERNS);
    Map<String, long[]> persisted = new LinkedHashMap<>();
    persisted.put(kept.id(), kept.signature());

    NearDuplicateFilter round1 = new NearDuplicateFilter(SETTINGS);
    round1.restore(persisted);
    var decisions =
        round1.offerAll(
            List.of(Map.entry("r1-a", GRID), Map.entry("r1-b", LANTERNS + " Be quick.")));
    assertTrue(decisions.get(0).kept());
    assertFalse(decisions.get(1).kept());
    assertEquals("r0", decisions.get(1).duplicateOf());
  }

  @Test
  void decontaminationFindsASharedNgramWhateverTheFormatting() {
    NgramDecontaminator benchmarks = new NgramDecontaminator(5);
    benchmarks.addBenchmark(GRID, new NgramDecontaminator.Source("bench.jsonl:3"));
    Optional<NgramDecontaminator.Match> hit =
        benchmarks.firstMatch("Story time. Find the LENGTH of the shortest-path, quickly!");
    assertTrue(hit.isPresent());
    assertEquals("find the length of the", hit.get().ngram());
    assertEquals(
        "shares the 5-gram \"find the length of the\" with benchmark bench.jsonl:3",
        hit.get().reason());
    // Four shared words in a row are not five.
    assertTrue(benchmarks.firstMatch("the length of the rope").isEmpty());
    assertTrue(benchmarks.firstMatch(LANTERNS).isEmpty());
  }

  @Test
  void shortTextsMatchOnlyTheSameShortText() {
    NgramDecontaminator benchmarks = new NgramDecontaminator(13);
    benchmarks.addBenchmark("Add two numbers.", new NgramDecontaminator.Source("tiny"));
    assertTrue(benchmarks.firstMatch("add TWO numbers").isPresent());
    assertTrue(benchmarks.firstMatch("add two numbers please").isEmpty());
  }
}
