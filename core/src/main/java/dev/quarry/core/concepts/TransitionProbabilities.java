package dev.quarry.core.concepts;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** p(u→v) ∝ exp(w(u,v)) over the candidate neighbours v of u. */
public final class TransitionProbabilities {
  private TransitionProbabilities() {}

  /** Probabilities in the order of {@code candidates}; empty when there are none. */
  public static Map<String, Double> from(ConceptGraph graph, String u, List<String> candidates) {
    Map<String, Double> result = new LinkedHashMap<>();
    if (candidates.isEmpty()) {
      return result;
    }
    // Subtract the max weight before exp() so large weights cannot overflow.
    double max = Double.NEGATIVE_INFINITY;
    for (String v : candidates) {
      max = Math.max(max, graph.weight(u, v));
    }
    double total = 0;
    for (String v : candidates) {
      double e = Math.exp(graph.weight(u, v) - max);
      result.put(v, e);
      total += e;
    }
    for (var entry : result.entrySet()) {
      entry.setValue(entry.getValue() / total);
    }
    return result;
  }
}
