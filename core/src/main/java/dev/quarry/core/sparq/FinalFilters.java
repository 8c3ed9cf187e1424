package dev.quarry.core.sparq;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * SPARQ's final filters. Only problems of positive quality (solve rate inside the band) are
 * eligible; {@code budget} caps how many are kept (0: no cap). Ties are broken by id, so the result
 * does not depend on the input order.
 */
public final class FinalFilters {
  private static final Comparator<FilterCandidate> BEST_FIRST =
      Comparator.comparingDouble(FilterCandidate::quality)
          .reversed()
          .thenComparing(FilterCandidate::id);

  private FinalFilters() {}

  public static List<FilterCandidate> apply(
      List<FilterCandidate> candidates, FinalFilter filter, int budget) {
    if (budget < 0) {
      throw new IllegalArgumentException("budget must be ≥ 0 (0: no cap), got " + budget);
    }
    List<FilterCandidate> eligible =
        candidates.stream().filter(c -> c.quality() > 0).sorted(BEST_FIRST).toList();
    int cap = budget == 0 ? eligible.size() : Math.min(budget, eligible.size());
    return switch (filter) {
      case QUALITY -> eligible.subList(0, cap);
      case DIVERSITY -> roundRobin(eligible, cap);
    };
  }

  /**
   * One problem per niche per pass, best first within each niche; niches in a pass are visited
   * best-first by their remaining top quality (then by key), so a tight budget keeps the strongest
   * niches.
   */
  private static List<FilterCandidate> roundRobin(List<FilterCandidate> bestFirst, int cap) {
    Map<Niche, List<FilterCandidate>> byNiche = new TreeMap<>();
    for (FilterCandidate c : bestFirst) {
      byNiche.computeIfAbsent(c.niche(), n -> new ArrayList<>()).add(c);
    }
    List<FilterCandidate> kept = new ArrayList<>(cap);
    int pass = 0;
    while (kept.size() < cap) {
      List<FilterCandidate> layer = new ArrayList<>();
      for (List<FilterCandidate> niche : byNiche.values()) {
        if (pass < niche.size()) {
          layer.add(niche.get(pass));
        }
      }
      layer.sort(BEST_FIRST.thenComparing(FilterCandidate::niche));
      for (FilterCandidate c : layer) {
        if (kept.size() < cap) {
          kept.add(c);
        }
      }
      pass++;
    }
    return kept;
  }
}
