package dev.quarry.core.checks;

import dev.quarry.core.seeds.TestCase;
import java.util.List;

/**
 * A reference solution and the tests it must pass.
 *
 * @param tests stdin/stdout tests; empty for a function-call case, whose asserts are inside {@code
 *     program} and whose pass is proven by {@link FunctionCallHarness#SENTINEL}
 */
public record CheckCase(String id, String program, List<TestCase> tests) {
  public CheckCase {
    tests = List.copyOf(tests);
  }

  public boolean functionCall() {
    return tests.isEmpty();
  }
}
