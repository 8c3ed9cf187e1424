package dev.quarry.workers.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.quarry.core.sandbox.BatchResult;
import dev.quarry.core.sandbox.ExecutionBatch;
import dev.quarry.core.sandbox.ExecutionLimits;
import dev.quarry.core.sandbox.Language;
import dev.quarry.core.sandbox.Verdict;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScriptedSandboxExecutorTest {
  @Test
  void theSameProgramAgreesWithItselfAndDifferentProgramsDisagree() {
    String sum = "print(a + b)";
    String difference = "print(a - b)";
    ExecutionBatch batch =
        new ExecutionBatch(
            Language.PYTHON,
            List.of(sum, difference, sum),
            List.of("1 2", "3 4"),
            new ExecutionLimits(4, 256, 65536));
    BatchResult result = new ScriptedSandboxExecutor().run(batch);
    assertEquals(6, result.outcomes().size());
    result.outcomes().forEach(o -> assertEquals(Verdict.OK, o.verdict()));
    for (int input = 0; input < 2; input++) {
      String a = result.find(0, input).orElseThrow().stdout();
      assertEquals(a, result.find(2, input).orElseThrow().stdout(), "same program, same output");
      assertNotEquals(
          a, result.find(1, input).orElseThrow().stdout(), "another program, another output");
    }
    assertNotEquals(
        result.find(0, 0).orElseThrow().stdout(),
        result.find(0, 1).orElseThrow().stdout(),
        "per input");
    assertEquals(result, new ScriptedSandboxExecutor().run(batch), "deterministic");
  }
}
