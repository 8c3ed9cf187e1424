package dev.quarry.core.concepts;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * QueST's difficulty-aware random walk: start at a uniformly random concept, then step to an
 * unvisited neighbour with p ∝ exp(w), for a walk length drawn uniformly from [1, maxSteps]. The
 * walk stops early at a concept with no unvisited neighbour. Fully determined by the seed.
 */
public final class ConceptWalk {
  public static final int MAX_STEPS_LIMIT = 6;

  private final ConceptGraph graph;
  private final int maxSteps;

  public ConceptWalk(ConceptGraph graph, int maxSteps) {
    if (maxSteps < 1 || maxSteps > MAX_STEPS_LIMIT) {
      throw new IllegalArgumentException(
          "maxSteps must be in [1, " + MAX_STEPS_LIMIT + "], got " + maxSteps);
    }
    if (graph.concepts().isEmpty()) {
      throw new IllegalArgumentException(
          "the concept graph is empty: no seed problem has concepts; give the seeds concepts or"
              + " set concepts.extract: true to have the conceptExtractor role list them");
    }
    this.graph = graph;
    this.maxSteps = maxSteps;
  }

  public List<String> walk(long seed) {
    Random random = new Random(seed);
    List<String> concepts = graph.concepts();
    String current = concepts.get(random.nextInt(concepts.size()));
    int steps = 1 + random.nextInt(maxSteps);
    Set<String> visited = new LinkedHashSet<>();
    visited.add(current);
    for (int i = 0; i < steps; i++) {
      List<String> candidates = new ArrayList<>();
      for (String v : graph.neighbours(current)) {
        if (!visited.contains(v)) {
          candidates.add(v);
        }
      }
      if (candidates.isEmpty()) {
        break;
      }
      current = pick(TransitionProbabilities.from(graph, current, candidates), random.nextDouble());
      visited.add(current);
    }
    return List.copyOf(visited);
  }

  private static String pick(Map<String, Double> probabilities, double u) {
    double cumulative = 0;
    String last = null;
    for (var entry : probabilities.entrySet()) {
      cumulative += entry.getValue();
      last = entry.getKey();
      if (u < cumulative) {
        return last;
      }
    }
    return last; // rounding: u fell past the final cumulative sum
  }
}
