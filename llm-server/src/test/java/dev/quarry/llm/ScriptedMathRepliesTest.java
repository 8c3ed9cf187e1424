package dev.quarry.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.core.answers.AnswerExtractor;
import dev.quarry.core.scalequest.ScaleQuestPrompts;
import dev.quarry.core.scalequest.SolvabilityVerdict;
import dev.quarry.core.sparq.SparqPrompts;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ScriptedMathRepliesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void theAnswerIsTheSumOfTheProblemsIntegers() {
    assertEquals(
        12 + 30,
        ScriptedMathReplies.answerOf("Maria has 12 pears. On Monday, 30 more pears arrive."));
    assertEquals(0, ScriptedMathReplies.answerOf("no numbers, and 1.5 is not an integer"));
    String problem = ScriptedMathReplies.wordProblem(42, 3);
    assertTrue(problem.endsWith("are there now?"), problem);
    assertTrue(
        ScriptedMathReplies.answerOf(problem) >= 6, "three quantities of at least 2: " + problem);
  }

  @Test
  void theSolverIsRightTwiceInThreeAndItsAnswerIsExtractable() {
    String problem = ScriptedMathReplies.wordProblem(7, 2);
    String user = SparqPrompts.solver(problem).get(1).content();
    String system = SparqPrompts.solver(problem).get(0).content();
    int wrong = 0;
    for (long seed = 0; seed < 300; seed++) {
      String reply = ScriptedMathReplies.chat(system, user, 0, seed, 0, null).orElseThrow();
      String answer = AnswerExtractor.finalAnswer(reply).orElseThrow();
      long expected = ScriptedMathReplies.answerOf(problem);
      if (!answer.equals(Long.toString(expected))) {
        assertEquals(Long.toString(expected + 1), answer, "the wrong rollout is off by one");
        wrong++;
      }
    }
    assertTrue(wrong > 70 && wrong < 130, "about one in three wrong, was " + wrong + " of 300");
  }

  @Test
  void theJudgeEndsWithAVerdictTheParserReads() {
    String system = ScaleQuestPrompts.judge("q").get(0).content();
    String reply = ScriptedMathReplies.chat(system, "Question: q", 1, 1, 0, null).orElseThrow();
    assertEquals(SolvabilityVerdict.SOLVABLE, SolvabilityVerdict.parse(reply));
  }

  @Test
  void theTaggerPicksDistinctSkillsFromTheVocabularyOnly() throws Exception {
    List<String> vocabulary = List.of("algebra", "counting", "geometry", "primes", "probability");
    JsonNode schema = JSON.readTree(SparqPrompts.skillTaggerSchema(vocabulary, 3));
    String system = SparqPrompts.skillTagger("p", vocabulary, 3).get(0).content();
    Set<Integer> sizes = new HashSet<>();
    for (long key = 0; key < 50; key++) {
      JsonNode skills =
          JSON.readTree(ScriptedMathReplies.chat(system, "p", key, 0, 0, schema).orElseThrow())
              .get("skills");
      Set<String> distinct = new HashSet<>();
      skills.forEach(s -> distinct.add(s.asText()));
      assertEquals(skills.size(), distinct.size(), "distinct: " + skills);
      assertTrue(vocabulary.containsAll(distinct), "from the vocabulary: " + skills);
      sizes.add(skills.size());
    }
    assertEquals(Set.of(1, 2, 3), sizes, "one to three skills");
  }

  @Test
  void problemsDifferInWordingNotOnlyInNumbers() {
    assertNotEquals(
        ScriptedMathReplies.wordProblem(1, 2).replaceAll("\\d+", "N"),
        ScriptedMathReplies.wordProblem(2, 2).replaceAll("\\d+", "N"));
    assertTrue(ScriptedMathReplies.chat("some other system", "hi", 0, 0, 0, null).isEmpty());
  }
}
