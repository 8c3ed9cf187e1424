package dev.quarry.core.checks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.core.seeds.TestCase;
import java.util.ArrayList;
import java.util.List;

/**
 * Problem-set row formats whose reference solutions `quarry sandbox check` can run.
 *
 * <ul>
 *   <li>quarry: Quarry's seed format, stdin/stdout tests
 *   <li>mbpp: {@code task_id, code, test_setup_code, test_list} (asserts)
 *   <li>humaneval: {@code task_id, prompt, canonical_solution, test, entry_point}
 * </ul>
 */
public enum CheckFormat {
  QUARRY,
  MBPP,
  HUMANEVAL;

  public CheckCase parse(JsonNode row, int lineNumber) {
    return switch (this) {
      case QUARRY -> {
        List<TestCase> tests = new ArrayList<>();
        for (JsonNode test : row.path("tests")) {
          tests.add(new TestCase(test.path("input").asText(), test.path("output").asText()));
        }
        if (tests.isEmpty()) {
          throw new IllegalArgumentException("line " + lineNumber + ": no tests");
        }
        yield new CheckCase(id(row, "id", lineNumber), text(row, "solution", lineNumber), tests);
      }
      case MBPP -> {
        StringBuilder asserts = new StringBuilder();
        for (JsonNode test : row.path("test_list")) {
          asserts.append(test.asText()).append('\n');
        }
        if (asserts.isEmpty()) {
          throw new IllegalArgumentException("line " + lineNumber + ": test_list is empty");
        }
        yield new CheckCase(
            id(row, "task_id", lineNumber),
            FunctionCallHarness.program(
                text(row, "code", lineNumber),
                row.path("test_setup_code").asText(""),
                asserts.toString()),
            List.of());
      }
      case HUMANEVAL -> {
        String entryPoint = text(row, "entry_point", lineNumber);
        yield new CheckCase(
            id(row, "task_id", lineNumber),
            FunctionCallHarness.program(
                text(row, "prompt", lineNumber) + text(row, "canonical_solution", lineNumber),
                "",
                text(row, "test", lineNumber) + "\ncheck(" + entryPoint + ")"),
            List.of());
      }
    };
  }

  private static String id(JsonNode row, String field, int lineNumber) {
    JsonNode node = row.get(field);
    return node == null || node.isNull() ? "line-" + lineNumber : node.asText();
  }

  private static String text(JsonNode row, String field, int lineNumber) {
    JsonNode node = row.get(field);
    if (node == null || !node.isTextual()) {
      throw new IllegalArgumentException(
          "line " + lineNumber + ": field '" + field + "' is missing");
    }
    return node.asText();
  }
}
