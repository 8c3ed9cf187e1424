package dev.quarry.core.scalequest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class BoxedAnswerTest {
  @Test
  void takesTheLastBoxedAnswerWithNestedBraces() {
    assertEquals(
        Optional.of("\\frac{1}{2}"),
        BoxedAnswer.extract("First try \\boxed{3}. No, redo: the answer is \\boxed{\\frac{1}{2}}."));
  }

  @Test
  void fallsBackToAStatedAnswer() {
    assertEquals(Optional.of("42"), BoxedAnswer.extract("So the final answer is: $42$."));
    assertEquals(Optional.of("7 apples"), BoxedAnswer.extract("The answer is 7 apples.\n"));
  }

  @Test
  void aCutOffOrMissingAnswerIsNotPresent() {
    assertFalse(BoxedAnswer.present("so we get \\boxed{\\frac{1}{2"));
    assertFalse(BoxedAnswer.present("I think it is seven."));
    assertFalse(BoxedAnswer.present("\\boxed{ }"));
    assertFalse(BoxedAnswer.present(null));
    assertTrue(BoxedAnswer.present("\\boxed{x=2}"));
  }

  @Test
  void normalizesSpellingsOfOneAnswer() {
    assertEquals("\\frac{1}{2}", BoxedAnswer.normalize("\\dfrac{1}{2}"));
    assertEquals("45", BoxedAnswer.normalize("45^\\circ"));
    assertEquals("12", BoxedAnswer.normalize("\\text{12}"));
    assertEquals("5", BoxedAnswer.normalize("x = 5"));
    assertEquals("(1,2)", BoxedAnswer.normalize("\\left( 1, 2 \\right)"));
  }

  @Test
  void comparesNumbersByValue() {
    assertEquals(0.5, BoxedAnswer.value("\\frac{1}{2}").getAsDouble(), 0);
    assertEquals(-0.75, BoxedAnswer.value("-3/4").getAsDouble(), 0);
    assertEquals(1000.0, BoxedAnswer.value("1,000").getAsDouble(), 0);
    assertTrue(BoxedAnswer.equivalent("\\frac{1}{2}", "0.5"));
    assertTrue(BoxedAnswer.equivalent("1,000", "1000.0"));
    assertTrue(BoxedAnswer.equivalent("50\\%", "50"));
    assertFalse(BoxedAnswer.equivalent("0.5", "0.51"));
    assertFalse(BoxedAnswer.equivalent("1/0", "2/0"), "no value for a zero denominator");
    assertFalse(BoxedAnswer.equivalent("\\sqrt{2}", "1.41421356"), "no symbolic evaluation");
  }
}
