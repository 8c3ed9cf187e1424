package dev.quarry.core.concepts;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.quarry.core.artifacts.ConceptExtractionArtifact;
import dev.quarry.core.artifacts.ConceptExtractionArtifact.Source;
import dev.quarry.core.artifacts.SamplingRecord;
import dev.quarry.core.seeds.SeedProblem;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExtractedConceptsTest {
  static final SamplingRecord EXTRACTOR = new SamplingRecord("m", 0.2, 0.95, 256, List.of(), 7);

  @Test
  void namesMergeAcrossSeedsAndFailuresFallBackToGivenConcepts() {
    List<SeedProblem> seeds =
        List.of(
            ConceptGraphExportTest.seed("a", List.of()),
            ConceptGraphExportTest.seed("b", List.of("old")),
            ConceptGraphExportTest.seed("c", List.of("given")),
            ConceptGraphExportTest.seed("d", List.of()));
    Map<String, ExtractedConcepts.Answer> answers =
        Map.of(
            "a", ExtractedConcepts.Answer.of(List.of("Prefix Sums", "Graphs")),
            "b", ExtractedConcepts.Answer.of(List.of("prefix-sum", "graph", "Greedy")),
            "c", ExtractedConcepts.Answer.failed("400 prompt too long"),
            "d", ExtractedConcepts.Answer.of(List.of("!!!")));
    ConceptExtractionArtifact result =
        ExtractedConcepts.assemble("seeds.jsonl", EXTRACTOR, seeds, answers);

    assertEquals(List.of("prefix sum", "graph"), result.seeds().get(0).concepts());
    assertEquals(Source.EXTRACTED, result.seeds().get(0).source());
    assertEquals(
        List.of("prefix sum", "graph", "greedy"),
        result.seeds().get(1).concepts(),
        "extracted replace given");
    assertEquals(List.of("given"), result.seeds().get(2).concepts());
    assertEquals(Source.GIVEN, result.seeds().get(2).source());
    assertEquals("400 prompt too long", result.seeds().get(2).error());
    assertEquals(Source.NONE, result.seeds().get(3).source());
    assertEquals("no usable concept name in [!!!]", result.seeds().get(3).error());
    assertEquals(
        Map.of(
            "Prefix Sums",
            "prefix sum",
            "prefix-sum",
            "prefix sum",
            "Graphs",
            "graph",
            "graph",
            "graph",
            "Greedy",
            "greedy"),
        result.rawToCanonical());
    assertEquals(List.of("Prefix Sums", "prefix-sum"), result.groups().get("prefix sum"));

    List<SeedProblem> applied = ExtractedConcepts.apply(seeds, result);
    ConceptGraph graph = ConceptGraph.build(applied, 0.2);
    assertEquals(List.of("given", "graph", "greedy", "prefix sum"), graph.concepts());
    // graph–prefix sum is held by seeds a and b (both difficulty 3): freq 2, diff 3.
    EdgeStats edge =
        graph.edges().stream()
            .filter(e -> e.source().equals("graph") && e.target().equals("prefix sum"))
            .findFirst()
            .orElseThrow();
    assertEquals(2, edge.freq());
    assertEquals(Math.log(0.2 * 2 + 0.8 * 3 + 1e-6), edge.weight(), 1e-12);
  }
}
