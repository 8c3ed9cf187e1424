package dev.quarry.core.answers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AnswerMatcherTest {
  private final AnswerMatcher matcher = new AnswerMatcher(1e-6);

  @Test
  void normalFormsOfTheSameAnswerAgree() {
    assertEquals("\\frac{1}{2}", AnswerNormalizer.normalize("\\dfrac{1}{2}"));
    assertEquals("\\frac{1}{2}", AnswerNormalizer.normalize("\\frac12"));
    assertEquals("\\sqrt{2}", AnswerNormalizer.normalize("\\sqrt2"));
    assertEquals("1000000", AnswerNormalizer.normalize("1,000,000"));
    assertEquals("(1,2)", AnswerNormalizer.normalize("\\left( 1, 2 \\right)"));
    assertEquals("5", AnswerNormalizer.normalize("x = 5"));
    assertEquals("30", AnswerNormalizer.normalize("30^\\circ"));
    assertEquals("12", AnswerNormalizer.normalize("$12$."));
    assertEquals("7cm", AnswerNormalizer.normalize("7\\text{ cm}"));
  }

  @Test
  void equivalentAnswers() {
    for (List<String> pair :
        List.of(
            List.of("\\frac{1}{2}", "0.5"),
            List.of("\\dfrac{3}{4}", "3/4"),
            List.of("-\\frac{2}{3}", "\\frac{-2}{3}"),
            List.of("1,000", "1000"),
            List.of("x = 14", "14"),
            List.of("100 - 25\\pi", "100-25\\pi"),
            List.of("\\left(1,2\\right)", "(1, 2)"),
            List.of("5.70", "5.7"),
            List.of("2.0000001", "2"),
            List.of("1e3", "1000"),
            List.of("50\\%", "50"),
            List.of("\\frac{204}{1015}", "0.200985221674877"))) {
      assertTrue(matcher.equivalent(pair.get(0), pair.get(1)), pair.toString());
      assertTrue(matcher.equivalent(pair.get(1), pair.get(0)), "symmetric: " + pair);
    }
  }

  @Test
  void differentAnswers() {
    for (List<String> pair :
        List.of(
            List.of("\\frac{1}{3}", "0.33"),
            List.of("2", "3"),
            List.of("x^2", "x^3"),
            List.of("(1,2)", "(2,1)"),
            List.of("1/0", "0"),
            List.of("", ""),
            List.of("2.001", "2"))) {
      assertFalse(matcher.equivalent(pair.get(0), pair.get(1)), pair.toString());
    }
    assertFalse(matcher.equivalent(null, "1"));
  }

  @Test
  void toleranceIsRelativeAboveOneAndAbsoluteBelow() {
    AnswerMatcher loose = new AnswerMatcher(0.01);
    assertTrue(loose.equivalent("1000", "1009"), "|diff| 9 ≤ 0.01 · 1009");
    assertFalse(loose.equivalent("1000", "1011"), "|diff| 11 > 0.01 · 1011");
    assertTrue(loose.equivalent("0.001", "0.0105"), "|diff| 0.0095 ≤ 0.01 · 1");
    assertFalse(new AnswerMatcher(0).equivalent("0.1", "0.1000001"));
    assertThrows(IllegalArgumentException.class, () -> new AnswerMatcher(-1));
  }

  @Test
  void anyFractionEqualsItsDecimalAndItselfInEveryNotation() {
    SplittableRandom random = new SplittableRandom(5);
    for (int i = 0; i < 500; i++) {
      int p = random.nextInt(-999, 1000);
      int q = random.nextInt(1, 1000);
      String decimal = Double.toString((double) p / q);
      String frac = p < 0 ? "-\\dfrac{" + (-p) + "}{" + q + "}" : "\\frac{" + p + "}{" + q + "}";
      assertTrue(matcher.equivalent(frac, decimal), frac + " vs " + decimal);
      assertTrue(matcher.equivalent(p + "/" + q, frac), p + "/" + q);
      assertFalse(matcher.equivalent(frac, Double.toString((double) p / q + 0.01)), frac);
    }
  }
}
