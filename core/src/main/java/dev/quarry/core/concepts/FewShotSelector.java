package dev.quarry.core.concepts;

import dev.quarry.core.seeds.SeedProblem;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Picks the seed problems nearest to a concept combination by Jaccard similarity. */
public final class FewShotSelector {
  private FewShotSelector() {}

  public static double jaccard(Collection<String> a, Collection<String> b) {
    Set<String> union = new HashSet<>(a);
    union.addAll(b);
    if (union.isEmpty()) {
      return 0;
    }
    Set<String> intersection = new HashSet<>(a);
    intersection.retainAll(b);
    return (double) intersection.size() / union.size();
  }

  /** The {@code count} nearest seeds, most similar first; ties broken by id for stability. */
  public static List<SeedProblem> nearest(
      List<SeedProblem> seeds, Collection<String> concepts, int count) {
    return seeds.stream()
        .sorted(
            Comparator.comparingDouble((SeedProblem s) -> -jaccard(s.concepts(), concepts))
                .thenComparing(SeedProblem::id))
        .limit(count)
        .toList();
  }
}
