package dev.quarry.core.concepts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.core.seeds.SeedFormat;
import dev.quarry.core.seeds.SeedProblem;
import dev.quarry.core.seeds.TestCase;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class ConceptGraphExportTest {
  static final Path SHIPPED_SEEDS = Path.of("../seeds/quarry-seeds.jsonl");

  static ConceptGraph shipped() {
    return ConceptGraph.build(SeedFormat.QUARRY.load(SHIPPED_SEEDS).problems(), 0.2);
  }

  /**
   * Edges worked out by hand from seeds/quarry-seeds.jsonl with α = 0.2, ε = 1e-6: geometry–math:
   * q005 (difficulty 1) and q031 (4): freq 2, diff 2.5, w = ln(0.4 + 2.0 + ε); dfs–trees: q022 (3)
   * and q038 (5): freq 2, diff 4, w = ln(0.4 + 3.2 + ε); implementation–prefix sums: q001 (1): freq
   * 1, diff 1, w = ln(0.2 + 0.8 + ε); dynamic programming–trees: q038 (5): freq 1, diff 5, w =
   * ln(0.2 + 4.0 + ε).
   */
  static final Map<String, double[]> HAND_EDGES =
      Map.of(
          "geometry|math", new double[] {2, 2.5, Math.log(2.400001)},
          "dfs|trees", new double[] {2, 4, Math.log(3.600001)},
          "implementation|prefix sums", new double[] {1, 1, Math.log(1.000001)},
          "dynamic programming|trees", new double[] {1, 5, Math.log(4.200001)});

  @Test
  void jsonExportMatchesTheFormulaOnTheShippedSeeds() throws Exception {
    JsonNode root =
        new ObjectMapper()
            .readTree(ConceptGraphExport.write(shipped(), ConceptGraphExport.Format.JSON));
    assertEquals(0.2, root.get("alpha").asDouble());
    // The 38 seeds hold 31 distinct concepts and 73 co-occurring pairs.
    assertEquals(31, root.get("nodes").size());
    assertEquals(73, root.get("edges").size());
    Map<String, JsonNode> edges = new HashMap<>();
    for (JsonNode e : root.get("edges")) {
      edges.put(e.get("source").asText() + "|" + e.get("target").asText(), e);
      // Every edge, not only the hand-computed ones, obeys the formula with its own freq and diff.
      double expected =
          Math.log(0.2 * e.get("freq").asInt() + 0.8 * e.get("diff").asDouble() + 1e-6);
      assertEquals(expected, e.get("weight").asDouble(), 1e-12);
    }
    HAND_EDGES.forEach(
        (pair, want) -> {
          JsonNode e = edges.get(pair);
          assertEquals((int) want[0], e.get("freq").asInt(), pair);
          assertEquals(want[1], e.get("diff").asDouble(), 1e-12, pair);
          assertEquals(want[2], e.get("weight").asDouble(), 1e-9, pair);
        });
  }

  @Test
  void graphmlIsValidXmlWithTheSameEdges() throws Exception {
    String xml = ConceptGraphExport.write(shipped(), ConceptGraphExport.Format.GRAPHML);
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setNamespaceAware(true);
    Document doc =
        factory
            .newDocumentBuilder()
            .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    NodeList nodes = doc.getElementsByTagNameNS("http://graphml.graphdrawing.org/xmlns", "node");
    NodeList edges = doc.getElementsByTagNameNS("http://graphml.graphdrawing.org/xmlns", "edge");
    assertEquals(31, nodes.getLength());
    assertEquals(73, edges.getLength());
    Map<String, String> labels = new HashMap<>();
    for (int i = 0; i < nodes.getLength(); i++) {
      Element n = (Element) nodes.item(i);
      labels.put(n.getAttribute("id"), n.getTextContent());
    }
    int checked = 0;
    for (int i = 0; i < edges.getLength(); i++) {
      Element e = (Element) edges.item(i);
      String pair =
          labels.get(e.getAttribute("source")) + "|" + labels.get(e.getAttribute("target"));
      double[] want = HAND_EDGES.get(pair);
      if (want != null) {
        Map<String, String> data = data(e);
        assertEquals((int) want[0], Integer.parseInt(data.get("freq")));
        assertEquals(want[1], Double.parseDouble(data.get("diff")), 1e-12);
        assertEquals(want[2], Double.parseDouble(data.get("weight")), 1e-9);
        checked++;
      }
    }
    assertEquals(HAND_EDGES.size(), checked);
  }

  @Test
  void graphmlEscapesMarkupInConceptNames() throws Exception {
    ConceptGraph graph =
        ConceptGraph.build(
            List.of(seed("a", List.of("a<b & \"c\"", "d'e")), seed("b", List.of("d'e", "x"))), 0.5);
    String xml = ConceptGraphExport.write(graph, ConceptGraphExport.Format.GRAPHML);
    Document doc =
        DocumentBuilderFactory.newInstance()
            .newDocumentBuilder()
            .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    assertTrue(doc.getDocumentElement().getTextContent().contains("a<b & \"c\""));
  }

  @Test
  void dotHasOneStatementPerNodeAndEdgeWithQuotedIds() {
    String dot = ConceptGraphExport.write(shipped(), ConceptGraphExport.Format.DOT);
    assertTrue(dot.startsWith("graph concepts {\n"));
    assertTrue(dot.endsWith("}\n"));
    long nodeLines = dot.lines().filter(l -> l.matches("  \"[^\"]+\";")).count();
    long edgeLines = dot.lines().filter(l -> l.contains(" -- ")).count();
    assertEquals(31, nodeLines);
    assertEquals(73, edgeLines);
    assertTrue(
        dot.contains(
            "  \"geometry\" -- \"math\" [freq=2, diff=2.5, quest_weight=\""
                + Math.log(0.2 * 2 + 0.8 * 2.5 + 1e-6)
                + "\", label=\"0.875\"];"),
        dot);

    ConceptGraph odd =
        ConceptGraph.build(List.of(seed("a", List.of("say \"hi\"", "back\\slash"))), 0.2);
    String escaped = ConceptGraphExport.write(odd, ConceptGraphExport.Format.DOT);
    assertTrue(escaped.contains("\"back\\\\slash\" -- \"say \\\"hi\\\"\""), escaped);
  }

  private static Map<String, String> data(Element edge) {
    Map<String, String> data = new HashMap<>();
    NodeList children =
        edge.getElementsByTagNameNS("http://graphml.graphdrawing.org/xmlns", "data");
    for (int i = 0; i < children.getLength(); i++) {
      Element d = (Element) children.item(i);
      data.put(d.getAttribute("key"), d.getTextContent());
    }
    return data;
  }

  static SeedProblem seed(String id, List<String> concepts) {
    return new SeedProblem(
        id, id, "statement " + id, concepts, 3, List.<TestCase>of(), "", "python");
  }
}
