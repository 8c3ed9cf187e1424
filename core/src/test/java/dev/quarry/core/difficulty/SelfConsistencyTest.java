package dev.quarry.core.difficulty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SelfConsistencyTest {
  private static List<List<String>> rows(String[]... rows) {
    return Arrays.stream(rows).map(Arrays::asList).toList();
  }

  @Test
  void fullAgreementIsEasy() {
    var score =
        SelfConsistency.score(
            rows(new String[] {"1", "2"}, new String[] {"1", "2"}, new String[] {"1", "2"}),
            ValidityRule.DEFAULT);
    assertTrue(score.valid());
    assertEquals(0.0, score.delta(), 1e-12);
  }

  @Test
  void handComputedDelta() {
    // input 0: outputs a,a,b → majority 2/3; input 1: x,y,z → 1/3. δ = 1 − (2/3 + 1/3)/2 = 0.5
    var score =
        SelfConsistency.score(
            rows(new String[] {"a", "x"}, new String[] {"a", "y"}, new String[] {"b", "z"}),
            ValidityRule.DEFAULT);
    assertEquals(0.5, score.delta(), 1e-12);
    assertEquals(2, score.validInputs());
    assertEquals(6, score.validExecutions());
  }

  @Test
  void invalidExecutionsDoNotCountAndThinInputsAreDropped() {
    // input 0: a, a, (invalid) → 2/2; input 1: only one valid → dropped (needs 2). δ = 0
    var score =
        SelfConsistency.score(
            rows(new String[] {"a", "q"}, new String[] {"a", null}, new String[] {null, null}),
            ValidityRule.DEFAULT);
    assertTrue(score.valid());
    assertEquals(1, score.validInputs());
    assertEquals(0.0, score.delta(), 1e-12);
    assertEquals(3, score.validExecutions());
  }

  @Test
  void tooFewValidExecutionsMakeTheCandidateInvalidWithAReason() {
    var none =
        SelfConsistency.score(
            rows(new String[] {null, null}, new String[] {null, null}), ValidityRule.DEFAULT);
    assertFalse(none.valid());
    assertEquals("no valid execution", none.invalidReason());
    var thin =
        SelfConsistency.score(
            rows(new String[] {"a", null}, new String[] {null, "b"}), ValidityRule.DEFAULT);
    assertFalse(thin.valid());
    assertTrue(thin.invalidReason().startsWith("too few valid inputs"));
  }

  @Test
  void noRolloutsIsInvalid() {
    assertFalse(SelfConsistency.score(List.of(), ValidityRule.DEFAULT).valid());
  }

  @Test
  void fewerRepliesThanTheMinimumAreInvalidWithTheirOwnReason() {
    // Two replies exist and agree on every input; with a minimum of 3 replies δ is not measured.
    var rows = rows(new String[] {"1", "2"}, new String[] {"1", "2"});
    var score = SelfConsistency.score(rows, new ValidityRule(1, 2, 3));
    assertFalse(score.valid());
    assertEquals("too few solver replies: 2 < minimum 3", score.invalidReason());
    assertTrue(SelfConsistency.score(rows, new ValidityRule(1, 2, 2)).valid());
  }
}
