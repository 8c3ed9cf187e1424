package dev.quarry.core.concepts;

import dev.quarry.core.seeds.SeedProblem;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jgrapht.Graph;
import org.jgrapht.Graphs;
import org.jgrapht.graph.DefaultWeightedEdge;
import org.jgrapht.graph.SimpleWeightedGraph;

/**
 * QueST's concept graph: one node per concept of the seed set, an edge between two concepts that
 * co-occur in at least one seed problem, weighted by {@link EdgeWeight}. Immutable once built.
 */
public final class ConceptGraph {
  private final Graph<String, DefaultWeightedEdge> graph;
  private final Map<DefaultWeightedEdge, EdgeStats> stats;
  private final List<String> sortedConcepts;
  private final double alpha;

  private ConceptGraph(
      Graph<String, DefaultWeightedEdge> graph,
      Map<DefaultWeightedEdge, EdgeStats> stats,
      double alpha) {
    this.graph = graph;
    this.stats = stats;
    this.sortedConcepts = List.copyOf(new TreeSet<>(graph.vertexSet()));
    this.alpha = alpha;
  }

  public static ConceptGraph build(List<SeedProblem> seeds, double alpha) {
    Graph<String, DefaultWeightedEdge> graph = new SimpleWeightedGraph<>(DefaultWeightedEdge.class);
    Map<String, int[]> pairFreq = new HashMap<>();
    Map<String, double[]> pairDifficultySum = new HashMap<>();
    for (SeedProblem seed : seeds) {
      List<String> concepts = List.copyOf(new TreeSet<>(seed.concepts()));
      concepts.forEach(graph::addVertex);
      for (int i = 0; i < concepts.size(); i++) {
        for (int j = i + 1; j < concepts.size(); j++) {
          String key = pairKey(concepts.get(i), concepts.get(j));
          pairFreq.computeIfAbsent(key, k -> new int[1])[0]++;
          pairDifficultySum.computeIfAbsent(key, k -> new double[1])[0] += seed.difficulty();
        }
      }
    }
    Map<DefaultWeightedEdge, EdgeStats> stats = new HashMap<>();
    for (var entry : new TreeMap<>(pairFreq).entrySet()) {
      String[] pair = entry.getKey().split("\u0000", 2);
      int freq = entry.getValue()[0];
      double diff = pairDifficultySum.get(entry.getKey())[0] / freq;
      double weight = EdgeWeight.of(alpha, freq, diff);
      DefaultWeightedEdge edge = graph.addEdge(pair[0], pair[1]);
      graph.setEdgeWeight(edge, weight);
      stats.put(edge, new EdgeStats(pair[0], pair[1], freq, diff, weight));
    }
    return new ConceptGraph(graph, stats, alpha);
  }

  private static String pairKey(String a, String b) {
    return a.compareTo(b) <= 0 ? a + "\u0000" + b : b + "\u0000" + a;
  }

  public double alpha() {
    return alpha;
  }

  /** All concepts in a stable (sorted) order, so seeded choices are reproducible. */
  public List<String> concepts() {
    return sortedConcepts;
  }

  /** Neighbours of a concept in sorted order. */
  public List<String> neighbours(String concept) {
    List<String> result = new ArrayList<>();
    for (DefaultWeightedEdge edge : graph.edgesOf(concept)) {
      result.add(Graphs.getOppositeVertex(graph, edge, concept));
    }
    result.sort(null);
    return result;
  }

  public double weight(String u, String v) {
    DefaultWeightedEdge edge = graph.getEdge(u, v);
    if (edge == null) {
      throw new IllegalArgumentException("no edge between '" + u + "' and '" + v + "'");
    }
    return graph.getEdgeWeight(edge);
  }

  /** Every edge with its statistics, sorted by (source, target). */
  public List<EdgeStats> edges() {
    List<EdgeStats> result = new ArrayList<>(stats.values());
    result.sort(Comparator.comparing(EdgeStats::source).thenComparing(EdgeStats::target));
    return result;
  }
}
