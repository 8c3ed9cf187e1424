package dev.quarry.core.adaptive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ProportionsTest {
  @Test
  void wilsonMatchesHandComputedValues() {
    // k=5, n=10, z=1.96: centre 0.5, half-width 1.96*sqrt(0.025+0.0096)/1.384 = 0.2634
    Interval half = Proportions.wilson(5, 10, 1.96);
    assertEquals(0.2366, half.lo(), 1e-4);
    assertEquals(0.7634, half.hi(), 1e-4);
    // k=0 is not degenerate: [0, z²/(n+z²)]
    Interval none = Proportions.wilson(0, 10, 1.96);
    assertEquals(0, none.lo(), 1e-12);
    assertEquals(1.96 * 1.96 / (10 + 1.96 * 1.96), none.hi(), 1e-9);
    assertEquals(new Interval(0, 1), Proportions.wilson(0, 0, 1.96));
  }

  @Test
  void reachableIsWhatTheFullSampleCanStillGive() {
    assertEquals(new Interval(0.25, 0.75), Proportions.reachable(1, 2, 4));
    assertEquals(new Interval(0.5, 0.5), Proportions.reachable(2, 4, 4));
    assertThrows(IllegalArgumentException.class, () -> Proportions.reachable(3, 2, 4));
    assertThrows(IllegalArgumentException.class, () -> Proportions.reachable(1, 5, 4));
  }
}
