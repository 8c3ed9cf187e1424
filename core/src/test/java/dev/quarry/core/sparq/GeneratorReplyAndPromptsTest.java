package dev.quarry.core.sparq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class GeneratorReplyAndPromptsTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @Test
  void aReplyGivesProblemSolutionAndTheSolutionsFinalAnswer() {
    GeneratorReply.Parsed p =
        GeneratorReply.parse(
            "{\"problem\":\" Find x. \",\"solution\":\"x = \\\\boxed{\\\\frac{1}{2}}\",\"answer\":\"0.4\"}",
            "Other.");
    assertEquals(
        new GeneratorReply.Parsed("Find x.", "x = \\boxed{\\frac{1}{2}}", "\\frac{1}{2}", null), p);
    assertEquals(
        "7",
        GeneratorReply.parse(
                "{\"problem\":\"P\",\"solution\":\"The answer is 7.\",\"answer\":\"\"}", null)
            .answer());
  }

  @Test
  void unusableRepliesSayWhy() {
    assertEquals(
        "generator reply is not the requested JSON object",
        GeneratorReply.parse("[1]", null).invalidReason());
    assertEquals(
        "generator reply is not the requested JSON object",
        GeneratorReply.parse("", null).invalidReason());
    assertEquals(
        "generator wrote an empty problem",
        GeneratorReply.parse("{\"solution\":\"\\\\boxed{1}\"}", null).invalidReason());
    assertEquals(
        "generator gave no final answer",
        GeneratorReply.parse("{\"problem\":\"P\",\"solution\":\"hm\"}", null).invalidReason());
    assertEquals(
        "generator repeated its parent problem",
        GeneratorReply.parse(
                "{\"problem\":\"Solve  2x = 4.\",\"solution\":\"\\\\boxed{2}\"}", "solve 2x = 4.")
            .invalidReason());
  }

  @Test
  void taggerSkillsAreReadOrNone() {
    assertEquals(
        List.of("algebra", "geometry"),
        GeneratorReply.skills("{\"skills\":[\"algebra\",\"geometry\"]}"));
    assertEquals(List.of(), GeneratorReply.skills("{oops"));
    assertEquals(List.of(), GeneratorReply.skills(null));
  }

  @Test
  void schemasAreValidJsonAndBounded() throws Exception {
    JsonNode generator = MAPPER.readTree(SparqPrompts.generatorSchema());
    assertEquals(
        SparqPrompts.MAX_PROBLEM_CHARS, generator.at("/properties/problem/maxLength").asInt());
    assertEquals(
        List.of("problem", "solution", "answer"),
        MAPPER.convertValue(generator.get("required"), List.class));
    JsonNode tagger =
        MAPPER.readTree(
            SparqPrompts.skillTaggerSchema(List.of("a \"quoted\" skill", "back\\slash"), 3));
    assertEquals("a \"quoted\" skill", tagger.at("/properties/skills/items/enum/0").asText());
    assertEquals("back\\slash", tagger.at("/properties/skills/items/enum/1").asText());
    assertEquals(3, tagger.at("/properties/skills/maxItems").asInt());
    String prompt =
        SparqPrompts.skillTagger("P", List.of("algebra", "counting"), 2).get(1).content();
    assertTrue(prompt.contains("algebra, counting") && prompt.contains("1 to 2"), prompt);
  }
}
