package dev.quarry.core.scalequest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class FailRateTest {
  @Test
  void equivalentSpellingsFormTheMajority() {
    // 1/2, 0.5 and \frac{1}{2} agree (3 of 5); 3 disagrees; one sample has no answer.
    FailRate r = FailRate.byMajority(Arrays.asList("1/2", "0.5", "\\frac{1}{2}", "3", null));
    assertEquals(0.4, r.failRate(), 1e-12);
    assertEquals(5, r.samples());
    assertEquals(4, r.answered());
    assertEquals(3, r.agreeing());
    assertEquals("1/2", r.reference());
  }

  @Test
  void tiesGoToTheFirstAnswer() {
    FailRate r = FailRate.byMajority(List.of("7", "8", "8", "7"));
    assertEquals("7", r.reference());
    assertEquals(0.5, r.failRate(), 1e-12);
  }

  @Test
  void unanimousIsZero() {
    FailRate r = FailRate.byMajority(List.of("2", "2.0", "2"));
    assertEquals(0.0, r.failRate(), 0);
    assertTrue(r.valid());
  }

  @Test
  void noAnswerAtAllIsUndefinedNotHard() {
    // Without any answer there is no majority to fail against: the question is invalid, and no
    // difficulty range lets it through (it used to count as fail rate 1.0, the hardest).
    FailRate none = FailRate.byMajority(Arrays.asList(null, null));
    assertFalse(none.valid());
    assertEquals("no solver reply states a final answer", none.invalidReason());
    assertFalse(none.within(0.0, 1.0));
    assertNull(none.reference());
    assertEquals(0, none.answered());
    assertEquals(2, none.samples());
  }

  @Test
  void onlyExistingSamplesAreTheDenominator() {
    // 3 samples exist (2 agree, 1 without an answer: failed), 5 never came back.
    FailRate r = FailRate.byMajority(Arrays.asList("4", "4", null), 5, 2);
    assertTrue(r.valid());
    assertEquals(3, r.samples());
    assertEquals(5, r.missing());
    assertEquals(1.0 - 2.0 / 3, r.failRate(), 1e-12);
  }

  @Test
  void fewerSamplesThanTheMinimumAreInvalid() {
    FailRate r = FailRate.byMajority(List.of("4"), 3, 2);
    assertFalse(r.valid());
    assertEquals("too few solver replies: 1 of 4 < minimum 2", r.invalidReason());
    assertFalse(r.within(0.0, 1.0));
    FailRate nothing = FailRate.byMajority(List.of(), 4, 1);
    assertFalse(nothing.within(0.0, 1.0));
  }

  @Test
  void outcomesRecordedBeforeValidityStayAsTheyWere() {
    // A FailRate read from an old history has no invalidReason: within() decides as it did.
    FailRate old = new FailRate(1.0, 2, 0, 0, null);
    assertTrue(old.within(0.0, 1.0));
  }

  @Test
  void filtersByRange() {
    FailRate r = FailRate.byMajority(List.of("1", "1", "1", "2")); // 1 − 3/4 = 0.25
    assertTrue(r.within(0.25, 1.0));
    assertFalse(r.within(0.3, 1.0));
    assertFalse(r.within(0.0, 0.2));
  }
}
