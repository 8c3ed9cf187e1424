package dev.quarry.core.prompts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConceptExtractionPromptTest {
  @Test
  void readsConceptsAsWrittenDroppingBlanksAndRepeats() {
    assertEquals(
        Optional.of(List.of("Prefix Sums", "greedy")),
        ConceptExtractionPrompt.parse(
            "Sure! {\"concepts\": [\"Prefix Sums\", \" \", \"greedy\", \"greedy\"]} done"));
    assertEquals(
        6,
        ConceptExtractionPrompt.parse("{\"concepts\":[\"a\",\"b\",\"c\",\"d\",\"e\",\"f\",\"g\"]}")
            .orElseThrow()
            .size());
  }

  @Test
  void unusableRepliesAreEmpty() {
    assertTrue(ConceptExtractionPrompt.parse("no json here").isEmpty());
    assertTrue(ConceptExtractionPrompt.parse("{\"concepts\": \"dp\"}").isEmpty());
    assertTrue(ConceptExtractionPrompt.parse("{\"concepts\": []}").isEmpty());
    assertTrue(ConceptExtractionPrompt.parse("{\"concepts\": [1, 2]}").isEmpty());
    assertTrue(ConceptExtractionPrompt.parse("{broken").isEmpty());
    assertTrue(ConceptExtractionPrompt.parse(null).isEmpty());
  }

  @Test
  void schemaIsJsonAndBoundsTheAnswer() throws Exception {
    var schema = new ObjectMapper().readTree(ConceptExtractionPrompt.schema());
    assertEquals(6, schema.at("/properties/concepts/maxItems").asInt());
    assertEquals(40, schema.at("/properties/concepts/items/maxLength").asInt());
    assertTrue(
        ConceptExtractionPrompt.messages("x".repeat(5000)).get(1).content().endsWith("[...]"));
  }
}
