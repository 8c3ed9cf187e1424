package dev.quarry.core.seeds;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Loads Quarry's own seed format: one JSON object per line with {@code id, title, statement,
 * concepts, difficulty (1–5), tests [{input, output}], solution, language}. {@code concepts} may be
 * missing or empty: such a seed joins the graph only through extracted concepts.
 */
public final class QuarrySeedLoader extends JsonlSeedReader {
  @Override
  protected SeedProblem parse(JsonNode row, int lineNumber) {
    String id = requiredText(row, "id");
    JsonNode conceptsNode = row.get("concepts");
    // Concepts may be left out when an LLM extracts them (concepts.extract: true).
    if (conceptsNode != null && !conceptsNode.isNull() && !conceptsNode.isArray()) {
      throw new IllegalArgumentException("field 'concepts' must be a list of strings");
    }
    List<String> concepts = new ArrayList<>();
    if (conceptsNode != null) {
      conceptsNode.forEach(c -> concepts.add(normaliseConcept(c.asText())));
    }
    JsonNode difficulty = row.get("difficulty");
    if (difficulty == null
        || !difficulty.isInt()
        || difficulty.asInt() < 1
        || difficulty.asInt() > 5) {
      throw new IllegalArgumentException("field 'difficulty' must be an integer from 1 to 5");
    }
    List<TestCase> tests = new ArrayList<>();
    JsonNode testsNode = row.get("tests");
    if (testsNode != null && testsNode.isArray()) {
      for (JsonNode test : testsNode) {
        tests.add(new TestCase(test.path("input").asText(), test.path("output").asText()));
      }
    }
    return new SeedProblem(
        id,
        row.path("title").asText(id),
        requiredText(row, "statement"),
        concepts,
        difficulty.asInt(),
        tests,
        row.path("solution").asText(""),
        row.path("language").asText("python"));
  }
}
