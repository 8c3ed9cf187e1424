package dev.quarry.core.concepts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ConceptMappingTest {
  @Test
  void keysFoldCasePunctuationSpacingAndPlural() {
    assertEquals("prefix sum", ConceptNames.key("Prefix-Sums"));
    assertEquals("prefix sum", ConceptNames.key("  prefix_sum. "));
    assertEquals("binary search tree", ConceptNames.key("Binary Search Trees"));
    assertEquals("range query", ConceptNames.key("range queries"));
    assertEquals("bitmask dp", ConceptNames.key("bitmask DP"));
    assertEquals("c++", ConceptNames.key("C++"));
    assertEquals("graph vertex", ConceptNames.key("graph vertices"));
    // Not plurals: short words, -ss, -us, -is, -ics.
    assertEquals("bfs", ConceptNames.key("BFS"));
    assertEquals("equivalence class", ConceptNames.key("equivalence class"));
    assertEquals("amortized analysis", ConceptNames.key("amortized analysis"));
    assertEquals("combinatorics", ConceptNames.key("Combinatorics"));
    assertEquals("", ConceptNames.key(" -- "));
  }

  @Test
  void editDistanceByHand() {
    assertEquals(3, ConceptNames.editDistance("kitten", "sitting"));
    assertEquals(1, ConceptNames.editDistance("graph coloring", "graph colouring"));
    assertEquals(0, ConceptNames.editDistance("", ""));
    assertEquals(4, ConceptNames.editDistance("", "heap"));
  }

  @Test
  void spellingVariantsNeedLengthOneEditAndSameDigits() {
    assertTrue(ConceptNames.spellingVariants("graph coloring", "graph colouring", 6));
    assertFalse(ConceptNames.spellingVariants("bfs", "dfs", 6), "short names never merge");
    assertFalse(ConceptNames.spellingVariants("2 sat solver", "3 sat solver", 6), "digits differ");
    assertFalse(ConceptNames.spellingVariants("max heap", "min heap", 6), "two edits apart");
  }

  @Test
  void mergesVariantsAndRecordsEveryRawName() {
    List<String> raw =
        List.of(
            "Prefix Sums",
            "prefix sum",
            "prefix-sums",
            "Graph Colouring",
            "graph coloring",
            "graph coloring",
            "BFS",
            "DFS",
            "Dynamic Programming");
    ConceptMapping mapping = ConceptMapping.of(raw);
    assertEquals("prefix sum", mapping.rawToCanonical().get("Prefix Sums"));
    assertEquals("prefix sum", mapping.rawToCanonical().get("prefix-sums"));
    // "graph coloring" occurs twice, "graph colouring" once: the more frequent key wins.
    assertEquals("graph coloring", mapping.rawToCanonical().get("Graph Colouring"));
    assertEquals("bfs", mapping.rawToCanonical().get("BFS"));
    assertEquals("dfs", mapping.rawToCanonical().get("DFS"));
    assertEquals(
        Map.of(
            "prefix sum", List.of("Prefix Sums", "prefix sum", "prefix-sums"),
            "graph coloring", List.of("Graph Colouring", "graph coloring"),
            "bfs", List.of("BFS"),
            "dfs", List.of("DFS"),
            "dynamic programming", List.of("Dynamic Programming")),
        mapping.groups());
    assertEquals(
        List.of("prefix sum", "bfs"),
        mapping.canonical(List.of("prefix-sums", "Prefix Sums", "BFS", "unknown")));
  }

  @Test
  void frequencyTieGoesToTheShorterThenAlphabeticallyFirstKey() {
    // Each key once; "heap sort" and "heapsort" are one edit apart: the shorter one wins.
    ConceptMapping shorter = ConceptMapping.of(List.of("Heap Sort", "heapsort"));
    assertEquals("heapsort", shorter.rawToCanonical().get("Heap Sort"));
    // "segment tree" and "segment trie" are as long and as frequent: alphabetical order decides.
    ConceptMapping alphabetical = ConceptMapping.of(List.of("segment trie", "segment tree"));
    assertEquals("segment tree", alphabetical.rawToCanonical().get("segment trie"));
  }

  @Test
  void propertyTheMappingDoesNotDependOnInputOrder() {
    List<String> raw =
        new ArrayList<>(
            List.of(
                "Sorting",
                "sortings",
                "sort",
                "Hash Maps",
                "hashmap",
                "hash map",
                "union-find",
                "Union Find",
                "union finds",
                "two pointers",
                "Two-Pointer",
                "graphs",
                "graph",
                "grapes"));
    ConceptMapping reference = ConceptMapping.of(raw);
    Random random = new Random(3);
    for (int i = 0; i < 50; i++) {
      Collections.shuffle(raw, random);
      assertEquals(reference, ConceptMapping.of(raw));
    }
    // Every raw name maps to a canonical concept that is itself the key of some raw name.
    for (var entry : reference.rawToCanonical().entrySet()) {
      assertTrue(reference.groups().get(entry.getValue()).contains(entry.getKey()));
    }
  }
}
