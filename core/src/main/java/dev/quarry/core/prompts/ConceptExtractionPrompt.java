package dev.quarry.core.prompts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * QueST's concept extraction: ask a model for the algorithmic concepts a seed problem exercises, as
 * JSON {"concepts": [...]} under a schema, and read the answer back.
 */
public final class ConceptExtractionPrompt {
  public static final int MAX_CONCEPTS = 6;

  /** A concept is a short name; bounding strings lets a grammar force the JSON closed. */
  public static final int MAX_CONCEPT_CHARS = 40;

  /** Long statements are cut: the concepts show in the first part, and context is precious. */
  private static final int MAX_STATEMENT_CHARS = 3000;

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private ConceptExtractionPrompt() {}

  public static List<Message> messages(String statement) {
    String text =
        statement.length() <= MAX_STATEMENT_CHARS
            ? statement
            : statement.substring(0, MAX_STATEMENT_CHARS) + "\n[...]";
    // Terse on purpose: small local models have small contexts, and the statement matters more.
    return List.of(
        Message.system("You classify programming problems."),
        Message.user(
            "Name the 2 to "
                + MAX_CONCEPTS
                + " algorithmic concepts this problem needs, as short"
                + " lower-case names like \"prefix sums\". Answer in JSON: {\"concepts\": [...]}."
                + "\n\nProblem:\n"
                + text));
  }

  public static String schema() {
    return "{\"type\":\"object\",\"properties\":{\"concepts\":{\"type\":\"array\","
        + "\"items\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":"
        + MAX_CONCEPT_CHARS
        + "},"
        + "\"minItems\":1,\"maxItems\":"
        + MAX_CONCEPTS
        + "}},"
        + "\"required\":[\"concepts\"],\"additionalProperties\":false}";
  }

  /**
   * The concept names of a reply exactly as written (blank ones and repeats dropped, at most {@link
   * #MAX_CONCEPTS}), or empty when the reply holds no such JSON. Text around the JSON is tolerated
   * for servers that cannot constrain output.
   */
  public static Optional<List<String>> parse(String reply) {
    if (reply == null) {
      return Optional.empty();
    }
    int start = reply.indexOf('{');
    int end = reply.lastIndexOf('}');
    if (start < 0 || end <= start) {
      return Optional.empty();
    }
    JsonNode concepts;
    try {
      concepts = MAPPER.readTree(reply.substring(start, end + 1)).path("concepts");
    } catch (IOException e) {
      return Optional.empty();
    }
    if (!concepts.isArray()) {
      return Optional.empty();
    }
    List<String> names = new ArrayList<>();
    for (JsonNode c : concepts) {
      String name = c.isTextual() ? c.asText().strip() : "";
      if (!name.isEmpty() && !names.contains(name) && names.size() < MAX_CONCEPTS) {
        names.add(name);
      }
    }
    return names.isEmpty() ? Optional.empty() : Optional.of(List.copyOf(names));
  }
}
