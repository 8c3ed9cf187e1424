package dev.quarry.core.concepts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quarry.core.seeds.SeedProblem;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConceptGraphTest {
  static SeedProblem seed(String id, int difficulty, String... concepts) {
    return new SeedProblem(
        id, id, "statement " + id, List.of(concepts), difficulty, List.of(), "", "python");
  }

  static final List<SeedProblem> SEEDS =
      List.of(
          seed("a", 2, "dp", "greedy"),
          seed("b", 4, "dp", "greedy", "graphs"),
          seed("c", 5, "graphs", "bfs"));

  @Test
  void edgeWeightsFollowTheQuestFormula() {
    ConceptGraph graph = ConceptGraph.build(SEEDS, 0.2);
    // dp–greedy: freq 2, diff (2+4)/2 = 3 → log(0.2·2 + 0.8·3 + ε) = log(2.8)
    assertEquals(Math.log(2.8 + EdgeWeight.EPSILON), graph.weight("dp", "greedy"), 1e-12);
    // graphs–bfs: freq 1, diff 5 → log(0.2 + 4.0) = log(4.2)
    assertEquals(Math.log(4.2 + EdgeWeight.EPSILON), graph.weight("bfs", "graphs"), 1e-12);
    // dp–graphs: freq 1, diff 4 → log(0.2 + 3.2)
    assertEquals(Math.log(3.4 + EdgeWeight.EPSILON), graph.weight("dp", "graphs"), 1e-12);
    assertEquals(List.of("bfs", "dp", "graphs", "greedy"), graph.concepts());
    assertEquals(4, graph.edges().size()); // dp–greedy, dp–graphs, graphs–greedy, bfs–graphs
    EdgeStats dpGreedy =
        graph.edges().stream()
            .filter(e -> e.source().equals("dp") && e.target().equals("greedy"))
            .findFirst()
            .orElseThrow();
    assertEquals(2, dpGreedy.freq());
    assertEquals(3.0, dpGreedy.diff(), 1e-12);
  }

  @Test
  void alphaOutsideTheUnitIntervalIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> ConceptGraph.build(SEEDS, 1.5));
  }

  @Test
  void transitionProbabilitiesAreASoftmaxOfWeights() {
    ConceptGraph graph = ConceptGraph.build(SEEDS, 0.2);
    Map<String, Double> p = TransitionProbabilities.from(graph, "dp", List.of("graphs", "greedy"));
    // exp(log x) = x: p ∝ 3.4 and 2.8
    assertEquals(3.4 / 6.2, p.get("graphs"), 1e-6);
    assertEquals(2.8 / 6.2, p.get("greedy"), 1e-6);
    assertEquals(1.0, p.values().stream().mapToDouble(Double::doubleValue).sum(), 1e-12);
  }

  @Test
  void walkIsDeterministicPerSeedAndFollowsEdges() {
    ConceptGraph graph = ConceptGraph.build(SEEDS, 0.2);
    ConceptWalk walk = new ConceptWalk(graph, 6);
    for (long seed = 0; seed < 200; seed++) {
      List<String> path = walk.walk(seed);
      assertEquals(path, walk.walk(seed));
      assertTrue(path.size() >= 1 && path.size() <= 7);
      assertEquals(
          path.size(), path.stream().distinct().count(), "a walk never revisits a concept");
      for (int i = 1; i < path.size(); i++) {
        assertTrue(
            graph.neighbours(path.get(i - 1)).contains(path.get(i)), "steps follow edges: " + path);
      }
    }
  }

  @Test
  void walkFrequenciesMatchTransitionProbabilities() {
    // From bfs the only neighbour is graphs; from graphs the walk picks dp or greedy by weight.
    ConceptGraph graph = ConceptGraph.build(SEEDS, 0.2);
    ConceptWalk walk = new ConceptWalk(graph, 2);
    int fromBfsViaGraphs = 0;
    int toDp = 0;
    for (long seed = 0; seed < 20000; seed++) {
      List<String> path = walk.walk(seed);
      if (path.size() == 3 && path.get(0).equals("bfs")) {
        fromBfsViaGraphs++;
        if (path.get(2).equals("dp")) {
          toDp++;
        }
      }
    }
    Map<String, Double> p = TransitionProbabilities.from(graph, "graphs", List.of("dp", "greedy"));
    assertTrue(fromBfsViaGraphs > 500);
    assertEquals(p.get("dp"), (double) toDp / fromBfsViaGraphs, 0.05);
  }

  @Test
  void fewShotPicksNearestByJaccard() {
    assertEquals(0.5, FewShotSelector.jaccard(List.of("dp", "greedy"), List.of("dp")), 1e-12);
    List<SeedProblem> nearest = FewShotSelector.nearest(SEEDS, List.of("graphs", "bfs"), 2);
    assertEquals("c", nearest.get(0).id());
    assertEquals("b", nearest.get(1).id());
  }
}
