package dev.quarry.core.seeds;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Loads TACO-style rows: {@code question}, {@code solutions} and {@code input_output} and {@code
 * tags} as JSON-encoded strings, {@code difficulty} as EASY … VERY_HARD. Tags and skill types
 * become concepts (a row without them joins the graph only through extracted concepts); the row
 * number becomes the id when the row has none.
 */
public final class TacoSeedLoader extends JsonlSeedReader {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Map<String, Integer> DIFFICULTY =
      Map.of("EASY", 1, "MEDIUM", 2, "MEDIUM_HARD", 3, "HARD", 4, "VERY_HARD", 5);

  @Override
  protected SeedProblem parse(JsonNode row, int lineNumber) {
    String question = requiredText(row, "question");
    String label = row.path("difficulty").asText("");
    Integer difficulty = DIFFICULTY.get(label.toUpperCase(Locale.ROOT));
    if (difficulty == null) {
      throw new IllegalArgumentException(
          "field 'difficulty' is '" + label + "'; expected one of " + DIFFICULTY.keySet());
    }
    List<String> concepts = new ArrayList<>();
    for (String field : List.of("tags", "skill_types")) {
      for (JsonNode tag : embedded(row, field)) {
        String concept = normaliseConcept(tag.asText());
        if (!concept.isEmpty() && !concepts.contains(concept)) {
          concepts.add(concept);
        }
      }
    }
    JsonNode io = embeddedObject(row, "input_output");
    List<TestCase> tests = new ArrayList<>();
    JsonNode inputs = io.path("inputs");
    JsonNode outputs = io.path("outputs");
    for (int i = 0; i < Math.min(inputs.size(), outputs.size()); i++) {
      tests.add(new TestCase(inputs.get(i).asText(), outputs.get(i).asText()));
    }
    JsonNode solutions = embedded(row, "solutions");
    String solution = solutions.isEmpty() ? "" : solutions.get(0).asText();
    String id = row.hasNonNull("id") ? row.get("id").asText() : "taco-" + lineNumber;
    return new SeedProblem(
        id, row.path("name").asText(id), question, concepts, difficulty, tests, solution, "python");
  }

  /** TACO stores lists as JSON inside a string; accept a plain list too. */
  private static JsonNode embedded(JsonNode row, String field) {
    JsonNode node = row.get(field);
    if (node == null || node.isNull()) {
      return MAPPER.createArrayNode();
    }
    JsonNode parsed = node.isTextual() ? parseEmbedded(node.asText(), field) : node;
    if (!parsed.isArray()) {
      throw new IllegalArgumentException("field '" + field + "' must be a (JSON-encoded) list");
    }
    return parsed;
  }

  private static JsonNode embeddedObject(JsonNode row, String field) {
    JsonNode node = row.get(field);
    if (node == null || node.isNull()) {
      return MAPPER.createObjectNode();
    }
    return node.isTextual() ? parseEmbedded(node.asText(), field) : node;
  }

  private static JsonNode parseEmbedded(String text, String field) {
    if (text.isBlank()) {
      return MAPPER.createArrayNode();
    }
    try {
      return MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("field '" + field + "' is not valid embedded JSON");
    }
  }
}
