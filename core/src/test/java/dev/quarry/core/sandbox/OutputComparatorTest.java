package dev.quarry.core.sandbox;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class OutputComparatorTest {
  @Test
  void comparisonsBehaveAsDocumented() {
    assertTrue(OutputComparator.of(Comparison.WHITESPACE).matches("1 2\n3\n", " 1  2 3 "));
    assertFalse(OutputComparator.of(Comparison.EXACT).matches("1 2\n", "1 2"));
    assertTrue(OutputComparator.of(Comparison.CASE_INSENSITIVE).matches("YES", "yes\n"));
    assertTrue(OutputComparator.of(Comparison.FLOAT_TOLERANCE).matches("0.3333333", "0.33333331"));
    assertFalse(OutputComparator.of(Comparison.FLOAT_TOLERANCE).matches("0.33", "0.34"));
    assertFalse(OutputComparator.of(Comparison.WHITESPACE).matches("1", null));
  }
}
