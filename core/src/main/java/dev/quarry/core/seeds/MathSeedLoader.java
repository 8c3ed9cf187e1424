package dev.quarry.core.seeds;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Loads math seeds: one JSON object per line with {@code id, problem, answer, skills (1–3 strings),
 * difficulty (1–5, optional, default 3)}. A math seed becomes a {@link SeedProblem} whose language
 * is {@link #LANGUAGE}, whose concepts are its skills and whose solution is its reference final
 * answer (math seeds have no tests to run).
 */
public final class MathSeedLoader extends JsonlSeedReader {
  public static final String LANGUAGE = "math";
  private static final int MAX_SKILLS = 3;

  @Override
  protected SeedProblem parse(JsonNode row, int lineNumber) {
    String id = requiredText(row, "id");
    String problem = requiredText(row, "problem");
    JsonNode answerNode = row.get("answer");
    if (answerNode == null
        || !(answerNode.isTextual() || answerNode.isNumber())
        || answerNode.asText().isBlank()) {
      throw new IllegalArgumentException(
          "field 'answer' is missing or not a non-empty string or number");
    }
    JsonNode skillsNode = row.get("skills");
    if (skillsNode == null
        || !skillsNode.isArray()
        || skillsNode.isEmpty()
        || skillsNode.size() > MAX_SKILLS) {
      throw new IllegalArgumentException(
          "field 'skills' must be a list of 1 to " + MAX_SKILLS + " strings");
    }
    List<String> skills = new ArrayList<>();
    for (JsonNode skill : skillsNode) {
      if (!skill.isTextual() || skill.asText().isBlank()) {
        throw new IllegalArgumentException("field 'skills' must hold non-empty strings only");
      }
      String s = normaliseConcept(skill.asText());
      if (!skills.contains(s)) {
        skills.add(s);
      }
    }
    int difficulty = 3;
    JsonNode difficultyNode = row.get("difficulty");
    if (difficultyNode != null && !difficultyNode.isNull()) {
      if (!difficultyNode.isInt() || difficultyNode.asInt() < 1 || difficultyNode.asInt() > 5) {
        throw new IllegalArgumentException(
            "field 'difficulty' must be an integer from 1 to 5 when given");
      }
      difficulty = difficultyNode.asInt();
    }
    return new SeedProblem(
        id,
        row.path("title").asText(id),
        problem,
        skills,
        difficulty,
        List.of(),
        answerNode.asText().strip(),
        LANGUAGE);
  }

  /** The reference final answer of a math seed. */
  public static String referenceAnswer(SeedProblem seed) {
    if (!LANGUAGE.equals(seed.language())) {
      throw new IllegalArgumentException(
          "seed " + seed.id() + " is not a math seed (language " + seed.language() + ")");
    }
    return seed.solution();
  }
}
