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
  void unanimousIsZeroAndNoAnswerIsOne() {
    assertEquals(0.0, FailRate.byMajority(List.of("2", "2.0", "2")).failRate(), 0);
    FailRate none = FailRate.byMajority(Arrays.asList(null, null));
    assertEquals(1.0, none.failRate(), 0);
    assertNull(none.reference());
    assertEquals(0, none.answered());
  }

  @Test
  void filtersByRange() {
    FailRate r = FailRate.byMajority(List.of("1", "1", "1", "2")); // 1 − 3/4 = 0.25
    assertTrue(r.within(0.25, 1.0));
    assertFalse(r.within(0.3, 1.0));
    assertFalse(r.within(0.0, 0.2));
  }
}
