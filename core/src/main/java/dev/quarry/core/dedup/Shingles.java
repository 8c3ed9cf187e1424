package dev.quarry.core.dedup;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Word k-shingles: every run of k consecutive normalised words, joined by single spaces. A text
 * shorter than k words is one shingle (all its words), so short texts still compare; an empty text
 * has no shingles.
 */
public final class Shingles {
  private Shingles() {}

  public static Set<String> of(String text, int k) {
    if (k < 1) {
      throw new IllegalArgumentException("shingle size must be >= 1, got " + k);
    }
    return ofWords(TextNormalizer.words(text), k);
  }

  public static Set<String> ofWords(List<String> words, int k) {
    Set<String> shingles = new LinkedHashSet<>();
    if (words.isEmpty()) {
      return shingles;
    }
    if (words.size() < k) {
      shingles.add(String.join(" ", words));
      return shingles;
    }
    for (int i = 0; i + k <= words.size(); i++) {
      shingles.add(String.join(" ", words.subList(i, i + k)));
    }
    return shingles;
  }

  /** Exact Jaccard similarity |A ∩ B| / |A ∪ B|; two empty sets are identical (1). */
  public static double jaccard(Set<String> a, Set<String> b) {
    if (a.isEmpty() && b.isEmpty()) {
      return 1;
    }
    int intersection = 0;
    for (String s : a) {
      if (b.contains(s)) {
        intersection++;
      }
    }
    return (double) intersection / (a.size() + b.size() - intersection);
  }
}
