package dev.quarry.core.answers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The answer cases ScaleQuest's responses need, on the shared extractor and matcher. */
class ScaleQuestCasesTest {
  private static final AnswerMatcher MATCHER = new AnswerMatcher(1e-6);

  @Test
  void takesTheLastBoxedAnswerWithNestedBraces() {
    assertEquals(
        Optional.of("\\frac{1}{2}"),
        AnswerExtractor.finalAnswer(
            "First try \\boxed{3}. No, redo: the answer is \\boxed{\\frac{1}{2}}."));
  }

  @Test
  void fallsBackToAStatedAnswer() {
    assertTrue(
        MATCHER.equivalent(
            "42", AnswerExtractor.finalAnswer("So the final answer is: $42$.").orElseThrow()));
    assertEquals(Optional.of("7 apples"), AnswerExtractor.finalAnswer("The answer is 7 apples.\n"));
  }

  @Test
  void aCutOffOrMissingAnswerIsNotPresent() {
    assertFalse(AnswerExtractor.finalAnswer("so we get \\boxed{\\frac{1}{2").isPresent());
    assertFalse(AnswerExtractor.finalAnswer("I think it is seven.").isPresent());
    assertFalse(AnswerExtractor.finalAnswer("\\boxed{ }").isPresent());
    assertFalse(AnswerExtractor.finalAnswer(null).isPresent());
    assertTrue(AnswerExtractor.finalAnswer("\\boxed{x=2}").isPresent());
  }

  @Test
  void equalSpellingsOfOneAnswer() {
    assertTrue(MATCHER.equivalent("\\dfrac{1}{2}", "\\frac{1}{2}"));
    assertTrue(MATCHER.equivalent("45^\\circ", "45"));
    assertTrue(MATCHER.equivalent("\\text{12}", "12"));
    assertTrue(MATCHER.equivalent("x = 5", "5"));
    assertTrue(MATCHER.equivalent("\\left( 1, 2 \\right)", "(1,2)"));
    assertTrue(MATCHER.equivalent("\\frac{1}{2}", "0.5"));
    assertTrue(MATCHER.equivalent("-3/4", "-0.75"));
    assertTrue(MATCHER.equivalent("1,000", "1000.0"));
    assertTrue(MATCHER.equivalent("50\\%", "50"));
    assertFalse(MATCHER.equivalent("0.5", "0.51"));
    assertFalse(MATCHER.equivalent("1/0", "2/0"), "no value for a zero denominator");
    assertFalse(MATCHER.equivalent("\\sqrt{2}", "1.41421356"), "no symbolic evaluation");
  }
}
