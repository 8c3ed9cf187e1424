package dev.quarry.core.answers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class AnswerExtractorTest {
  @Test
  void takesTheLastBoxedAnswerWithNestedBraces() {
    assertEquals(
        Optional.of("\\frac{1}{2}"),
        AnswerExtractor.finalAnswer("first \\boxed{3}, then \\boxed{\\frac{1}{2}}"));
    assertEquals(
        Optional.of("\\{1, 2\\}"), AnswerExtractor.finalAnswer("the set is \\boxed{\\{1, 2\\}}."));
    assertEquals(Optional.of("x^{2}+1"), AnswerExtractor.finalAnswer("\\boxed { x^{2}+1 }"));
  }

  @Test
  void skipsAnUnclosedOrEmptyBoxForTheOneBefore() {
    assertEquals(Optional.of("7"), AnswerExtractor.finalAnswer("\\boxed{7} and then \\boxed{8"));
    assertEquals(Optional.of("7"), AnswerExtractor.finalAnswer("\\boxed{7} \\boxed{}"));
  }

  @Test
  void fallsBackToTheLastAnswerIsPhrase() {
    assertEquals(
        Optional.of("42"),
        AnswerExtractor.finalAnswer("So the answer is 41? No.\nThe answer is 42."));
    assertEquals(
        Optional.of("3.5"), AnswerExtractor.finalAnswer("Thus the final answer is: $3.5$."));
    assertEquals(Optional.of("12"), AnswerExtractor.finalAnswer("The answer is 12\nbecause ..."));
  }

  @Test
  void aSolutionWithoutAnAnswerHasNone() {
    assertEquals(Optional.empty(), AnswerExtractor.finalAnswer("I think it is large."));
    assertEquals(Optional.empty(), AnswerExtractor.finalAnswer(""));
    assertEquals(Optional.empty(), AnswerExtractor.finalAnswer(null));
    assertEquals(Optional.empty(), AnswerExtractor.finalAnswer("The answer is ."));
  }
}
