package dev.quarry.core.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quarry.core.config.SandboxConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SandboxBatchTimeoutTest {
  private static SandboxConfig python(double wall) {
    return new SandboxConfig(Language.PYTHON, wall, 256, 1 << 20, Comparison.EXACT);
  }

  @Test
  void theBoundIsTwiceTheExecutionPhasePlusStartUpWithMargin() {
    // 3 × 3 executions of at most 2 s, one at a time: 2 × 9 × 2.5 s = 45 s, + 60 s start-up, × 1.5.
    assertEquals(Duration.ofMillis(157_500), SandboxBatchTimeout.startToClose(3, 3, 2, false, 1));
    // Two slots halve the execution phase (rounded up).
    assertEquals(
        Duration.ofMillis((long) ((2 * 5 * 2.5 + 60) * 1.5 * 1000)),
        SandboxBatchTimeout.startToClose(3, 3, 2, false, 2));
  }

  @Test
  void compiledProgramsAddOneCompileLimitEach() {
    Duration python = SandboxBatchTimeout.startToClose(4, 2, 1, false, 1);
    Duration cpp = SandboxBatchTimeout.startToClose(4, 2, 1, true, 1);
    assertEquals(Duration.ofMillis((long) (4 * 31 * 1.5 * 1000)), cpp.minus(python));
  }

  @Test
  void theBoundGrowsWithEveryFactorOfTheBatch() {
    Duration base = SandboxBatchTimeout.startToClose(python(2), 8, 8);
    assertTrue(SandboxBatchTimeout.startToClose(python(2), 16, 8).compareTo(base) > 0);
    assertTrue(SandboxBatchTimeout.startToClose(python(2), 8, 16).compareTo(base) > 0);
    assertTrue(SandboxBatchTimeout.startToClose(python(4), 8, 8).compareTo(base) > 0);
  }

  @Test
  void theOldFixedTwentyMinutesWasTooShortForALegalBatch() {
    // 64 × 64 × 2 s: the fixed 20 min timeout cut this batch off on every attempt, for ever.
    Duration bound = SandboxBatchTimeout.startToClose(python(1), 64, 64);
    assertTrue(bound.compareTo(Duration.ofMinutes(20)) > 0, bound.toString());
    assertTrue(SandboxBatchTimeout.withinCeiling(python(1), 64, 64), bound.toString());
  }

  @Test
  void theLargestLegalBatchIsAboveTheCeiling() {
    assertFalse(SandboxBatchTimeout.withinCeiling(python(120), 64, 64));
    assertTrue(SandboxBatchTimeout.withinCeiling(python(2), 3, 3));
  }

  @Test
  void nonsenseSizesAreRefused() {
    assertThrows(
        IllegalArgumentException.class, () -> SandboxBatchTimeout.startToClose(0, 3, 2, false, 1));
    assertThrows(
        IllegalArgumentException.class, () -> SandboxBatchTimeout.startToClose(3, 3, 0, false, 1));
  }
}
