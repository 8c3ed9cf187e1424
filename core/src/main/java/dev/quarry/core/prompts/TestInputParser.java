package dev.quarry.core.prompts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/**
 * Reads the test writer's {"inputs": [...]} answer, tolerating text around the JSON for servers
 * that cannot constrain output. Blank and repeated inputs are dropped.
 */
public final class TestInputParser {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private TestInputParser() {}

  public static Optional<List<String>> parse(String reply, int limit) {
    if (reply == null) {
      return Optional.empty();
    }
    int start = reply.indexOf('{');
    int end = reply.lastIndexOf('}');
    if (start < 0 || end <= start) {
      return Optional.empty();
    }
    JsonNode root;
    try {
      root = MAPPER.readTree(reply.substring(start, end + 1));
    } catch (IOException e) {
      return Optional.empty();
    }
    JsonNode inputs = root.path("inputs");
    if (!inputs.isArray()) {
      return Optional.empty();
    }
    LinkedHashSet<String> unique = new LinkedHashSet<>();
    for (JsonNode input : inputs) {
      String text = input.isTextual() ? input.asText() : input.toString();
      if (!text.isBlank()) {
        unique.add(text.endsWith("\n") ? text : text + "\n");
      }
    }
    List<String> result = new ArrayList<>(unique);
    if (result.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(List.copyOf(result.subList(0, Math.min(limit, result.size()))));
  }
}
