package dev.quarry.core.sparq;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.core.answers.AnswerExtractor;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads the generator's JSON reply: a problem, its solution and the reference answer. The reference
 * answer is the final answer of the solution (its last {@code \boxed{}}), as in the paper; the
 * separate {@code answer} field is the fallback when the solution states none.
 */
public final class GeneratorReply {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** A parsed reply, or why it cannot be used. */
  public record Parsed(String problem, String solution, String answer, String invalidReason) {
    public boolean valid() {
      return invalidReason == null;
    }

    static Parsed invalid(String reason) {
      return new Parsed(null, null, null, reason);
    }
  }

  private GeneratorReply() {}

  /**
   * @param parentProblem the problem the generator was asked to mutate: a reply that merely repeats
   *     it (ignoring case and spacing) is not a new problem
   */
  public static Parsed parse(String raw, String parentProblem) {
    JsonNode node;
    try {
      node = raw == null || raw.isBlank() ? null : MAPPER.readTree(raw);
    } catch (IOException e) {
      node = null;
    }
    if (node == null || !node.isObject()) {
      return Parsed.invalid("generator reply is not the requested JSON object");
    }
    String problem = node.path("problem").asText("").strip();
    String solution = node.path("solution").asText("").strip();
    if (problem.isEmpty()) {
      return Parsed.invalid("generator wrote an empty problem");
    }
    if (parentProblem != null && squash(problem).equals(squash(parentProblem))) {
      return Parsed.invalid("generator repeated its parent problem");
    }
    Optional<String> answer = AnswerExtractor.finalAnswer(solution);
    String fallback = node.path("answer").asText("").strip();
    if (answer.isEmpty() && fallback.isEmpty()) {
      return Parsed.invalid("generator gave no final answer");
    }
    return new Parsed(problem, solution, answer.orElse(fallback), null);
  }

  private static String squash(String text) {
    return text.replaceAll("\\s+", " ").strip().toLowerCase(Locale.ROOT);
  }

  /** The tagger's skills from its JSON reply; an unreadable reply names none. */
  public static List<String> skills(String raw) {
    List<String> skills = new ArrayList<>();
    try {
      JsonNode node = raw == null || raw.isBlank() ? null : MAPPER.readTree(raw);
      if (node != null) {
        node.path("skills").forEach(s -> skills.add(s.asText()));
      }
    } catch (IOException e) {
      return List.of();
    }
    return skills;
  }
}
