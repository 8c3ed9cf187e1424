package dev.quarry.core.scalequest;

import static dev.quarry.core.scalequest.SolvabilityVerdict.NO_VERDICT;
import static dev.quarry.core.scalequest.SolvabilityVerdict.SOLVABLE;
import static dev.quarry.core.scalequest.SolvabilityVerdict.UNSOLVABLE;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SolvabilityVerdictTest {
  @Test
  void aYesInTheReasoningIsNotTheVerdict() {
    assertEquals(
        UNSOLVABLE,
        SolvabilityVerdict.parse(
            "Yes, at first sight this looks fine. But the total of 10 cannot be split into three"
                + " equal whole parts.\nVerdict: unsolvable"));
  }

  @Test
  void theLastVerdictWins() {
    assertEquals(
        UNSOLVABLE,
        SolvabilityVerdict.parse(
            "Verdict: solvable\nWait, the radius is never given.\nFinal verdict: NO"));
    assertEquals(
        SOLVABLE,
        SolvabilityVerdict.parse(
            "Verdict: unsolvable? No, x is given later.\nVerdict: **Solvable**"));
  }

  @Test
  void acceptsMarkersBoxesAndABareLastLine() {
    assertEquals(SOLVABLE, SolvabilityVerdict.parse("Conclusion: yes."));
    assertEquals(UNSOLVABLE, SolvabilityVerdict.parse("The answer is not solvable"));
    assertEquals(UNSOLVABLE, SolvabilityVerdict.parse("reasoning...\n\\boxed{\\text{no}}"));
    assertEquals(SOLVABLE, SolvabilityVerdict.parse("It gives all quantities.\n**Yes**"));
  }

  @Test
  void noVerdictIsNotAPass() {
    assertEquals(
        NO_VERDICT, SolvabilityVerdict.parse("yes, the numbers are positive, so we continue"));
    assertEquals(NO_VERDICT, SolvabilityVerdict.parse(""));
    assertEquals(NO_VERDICT, SolvabilityVerdict.parse(null));
    assertEquals(false, NO_VERDICT.passes());
    assertEquals(true, SOLVABLE.passes());
  }
}
