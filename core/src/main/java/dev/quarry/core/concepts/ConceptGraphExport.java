package dev.quarry.core.concepts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes a concept graph for other tools: every node, and every edge with {@code freq}, {@code
 * diff} and {@code weight} = log(α·freq + (1−α)·diff + ε). Numbers are written with Java's shortest
 * round-tripping form, so a reader gets the exact doubles back.
 */
public final class ConceptGraphExport {
  /** The supported formats. */
  public enum Format {
    JSON,
    GRAPHML,
    DOT;

    public static Format parse(String name) {
      for (Format f : values()) {
        if (f.name().equalsIgnoreCase(name)) {
          return f;
        }
      }
      throw new IllegalArgumentException(
          "unknown graph format '" + name + "'; use json, graphml or dot");
    }
  }

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private ConceptGraphExport() {}

  public static String write(ConceptGraph graph, Format format) {
    return switch (format) {
      case JSON -> json(graph);
      case GRAPHML -> graphml(graph);
      case DOT -> dot(graph);
    };
  }

  static String json(ConceptGraph graph) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("alpha", graph.alpha());
    root.put("epsilon", EdgeWeight.EPSILON);
    root.put("weightFormula", "log(alpha*freq + (1-alpha)*diff + epsilon)");
    List<Map<String, Object>> nodes = new ArrayList<>();
    for (String concept : graph.concepts()) {
      nodes.add(Map.of("id", concept));
    }
    root.put("nodes", nodes);
    List<Map<String, Object>> edges = new ArrayList<>();
    for (EdgeStats e : graph.edges()) {
      Map<String, Object> edge = new LinkedHashMap<>();
      edge.put("source", e.source());
      edge.put("target", e.target());
      edge.put("freq", e.freq());
      edge.put("diff", e.diff());
      edge.put("weight", e.weight());
      edges.add(edge);
    }
    root.put("edges", edges);
    try {
      return JSON.writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a graph of strings and numbers always serialises", e);
    }
  }

  /** GraphML ids must be XML name tokens, so nodes are n0, n1, … with the concept as label. */
  static String graphml(ConceptGraph graph) {
    StringBuilder out = new StringBuilder();
    out.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
        .append("<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\"")
        .append(" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"")
        .append(" xsi:schemaLocation=\"http://graphml.graphdrawing.org/xmlns")
        .append(" http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd\">\n")
        .append("  <key id=\"label\" for=\"node\" attr.name=\"label\" attr.type=\"string\"/>\n")
        .append("  <key id=\"freq\" for=\"edge\" attr.name=\"freq\" attr.type=\"int\"/>\n")
        .append("  <key id=\"diff\" for=\"edge\" attr.name=\"diff\" attr.type=\"double\"/>\n")
        .append("  <key id=\"weight\" for=\"edge\" attr.name=\"weight\" attr.type=\"double\"/>\n")
        .append("  <graph id=\"concepts\" edgedefault=\"undirected\">\n")
        .append("    <desc>QueST concept graph, alpha=")
        .append(graph.alpha())
        .append(", weight = log(alpha*freq + (1-alpha)*diff + ")
        .append(EdgeWeight.EPSILON)
        .append(")</desc>\n");
    Map<String, String> ids = new LinkedHashMap<>();
    for (String concept : graph.concepts()) {
      String id = "n" + ids.size();
      ids.put(concept, id);
      out.append("    <node id=\"")
          .append(id)
          .append("\"><data key=\"label\">")
          .append(xml(concept))
          .append("</data></node>\n");
    }
    int e = 0;
    for (EdgeStats edge : graph.edges()) {
      out.append("    <edge id=\"e")
          .append(e++)
          .append("\" source=\"")
          .append(ids.get(edge.source()))
          .append("\" target=\"")
          .append(ids.get(edge.target()))
          .append("\">")
          .append("<data key=\"freq\">")
          .append(edge.freq())
          .append("</data>")
          .append("<data key=\"diff\">")
          .append(edge.diff())
          .append("</data>")
          .append("<data key=\"weight\">")
          .append(edge.weight())
          .append("</data></edge>\n");
    }
    out.append("  </graph>\n</graphml>\n");
    return out.toString();
  }

  /**
   * Graphviz DOT. Graphviz gives {@code weight} a layout meaning (a non-negative integer for dot),
   * and QueST's weight is a logarithm that can be negative, so the QueST weight is written as
   * {@code quest_weight}; {@code label} shows it on drawings.
   */
  static String dot(ConceptGraph graph) {
    StringBuilder out = new StringBuilder();
    out.append("graph concepts {\n")
        .append("  // QueST concept graph, alpha=")
        .append(graph.alpha())
        .append(", quest_weight = log(alpha*freq + (1-alpha)*diff + ")
        .append(EdgeWeight.EPSILON)
        .append(")\n");
    for (String concept : graph.concepts()) {
      out.append("  ").append(dotId(concept)).append(";\n");
    }
    for (EdgeStats e : graph.edges()) {
      out.append("  ")
          .append(dotId(e.source()))
          .append(" -- ")
          .append(dotId(e.target()))
          .append(" [freq=")
          .append(e.freq())
          .append(", diff=")
          .append(e.diff())
          .append(", quest_weight=\"")
          .append(e.weight())
          .append('"')
          .append(", label=\"")
          .append(String.format(Locale.ROOT, "%.3f", e.weight()))
          .append("\"];\n");
    }
    out.append("}\n");
    return out.toString();
  }

  private static String xml(String text) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&apos;");
        default -> {
          // XML 1.0 forbids most control characters even escaped; a concept never needs them.
          if (c >= 0x20 || c == '\t' || c == '\n' || c == '\r') {
            out.append(c);
          }
        }
      }
    }
    return out.toString();
  }

  /** A DOT double-quoted id: backslashes and quotes escaped, line breaks as spaces. */
  private static String dotId(String text) {
    return '"' + text.replace("\\", "\\\\").replace("\"", "\\\"").replaceAll("[\\r\\n]", " ") + '"';
  }
}
