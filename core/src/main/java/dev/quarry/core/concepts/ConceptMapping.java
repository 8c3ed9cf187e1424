package dev.quarry.core.concepts;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Merges the raw concept names an extractor wrote into canonical concepts, and records how: raw
 * name → canonical name, so a user can see (and argue with) every merge. Names merge when their
 * {@link ConceptNames#key keys} are equal (case, punctuation, plural) or when the keys are {@link
 * ConceptNames#spellingVariants spelling variants}; merging is transitive. The canonical name of a
 * group is its most frequent key, ties broken by the shorter, then alphabetically first key, so the
 * result does not depend on input order.
 *
 * @param rawToCanonical every raw name seen (exactly as written) and its canonical concept
 * @param groups every canonical concept and the raw names merged into it, sorted
 */
public record ConceptMapping(Map<String, String> rawToCanonical, Map<String, List<String>> groups) {
  /** Names shorter than this never merge by edit distance. */
  public static final int MIN_LENGTH_FOR_EDIT_MERGE = 6;

  public ConceptMapping {
    rawToCanonical = Map.copyOf(rawToCanonical);
    groups = Map.copyOf(groups);
  }

  /**
   * @param rawNames every raw name as written, once per occurrence (frequency matters)
   */
  public static ConceptMapping of(Collection<String> rawNames) {
    Map<String, Integer> keyCounts = new TreeMap<>();
    Map<String, String> rawToKey = new TreeMap<>();
    for (String raw : rawNames) {
      String key = ConceptNames.key(raw);
      if (key.isEmpty()) {
        continue;
      }
      rawToKey.put(raw, key);
      keyCounts.merge(key, 1, Integer::sum);
    }
    List<String> keys = new ArrayList<>(keyCounts.keySet());
    int[] parent = new int[keys.size()];
    for (int i = 0; i < parent.length; i++) {
      parent[i] = i;
    }
    for (int i = 0; i < keys.size(); i++) {
      for (int j = i + 1; j < keys.size(); j++) {
        if (ConceptNames.spellingVariants(keys.get(i), keys.get(j), MIN_LENGTH_FOR_EDIT_MERGE)) {
          union(parent, i, j);
        }
      }
    }
    Map<Integer, List<String>> byRoot = new TreeMap<>();
    for (int i = 0; i < keys.size(); i++) {
      byRoot.computeIfAbsent(find(parent, i), r -> new ArrayList<>()).add(keys.get(i));
    }
    Comparator<String> preference =
        Comparator.comparing((String k) -> -keyCounts.get(k))
            .thenComparingInt(String::length)
            .thenComparing(Comparator.naturalOrder());
    Map<String, String> keyToCanonical = new HashMap<>();
    for (List<String> group : byRoot.values()) {
      String canonical = group.stream().min(preference).orElseThrow();
      group.forEach(k -> keyToCanonical.put(k, canonical));
    }
    Map<String, String> mapping = new TreeMap<>();
    Map<String, TreeSet<String>> groups = new TreeMap<>();
    rawToKey.forEach(
        (raw, key) -> {
          String canonical = keyToCanonical.get(key);
          mapping.put(raw, canonical);
          groups.computeIfAbsent(canonical, c -> new TreeSet<>()).add(raw);
        });
    Map<String, List<String>> sortedGroups = new TreeMap<>();
    groups.forEach((c, raws) -> sortedGroups.put(c, List.copyOf(raws)));
    return new ConceptMapping(mapping, sortedGroups);
  }

  /** The canonical concepts of a list of raw names, deduplicated, in first-seen order. */
  public List<String> canonical(List<String> raw) {
    List<String> result = new ArrayList<>();
    for (String name : raw) {
      String canonical = rawToCanonical.get(name);
      if (canonical != null && !result.contains(canonical)) {
        result.add(canonical);
      }
    }
    return result;
  }

  private static int find(int[] parent, int i) {
    while (parent[i] != i) {
      parent[i] = parent[parent[i]];
      i = parent[i];
    }
    return i;
  }

  private static void union(int[] parent, int i, int j) {
    int a = find(parent, i);
    int b = find(parent, j);
    if (a != b) {
      parent[Math.max(a, b)] = Math.min(a, b);
    }
  }
}
