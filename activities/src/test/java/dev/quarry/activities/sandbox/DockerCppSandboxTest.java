package dev.quarry.activities.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import dev.quarry.core.sandbox.BatchResult;
import dev.quarry.core.sandbox.ExecutionBatch;
import dev.quarry.core.sandbox.ExecutionLimits;
import dev.quarry.core.sandbox.ExecutionOutcome;
import dev.quarry.core.sandbox.Language;
import dev.quarry.core.sandbox.Verdict;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** C++ (g++ 17) on the real engine: each program compiled once per batch, then run per input. */
class DockerCppSandboxTest {
  private static final ExecutionLimits LIMITS = new ExecutionLimits(2, 128, 1 << 16);
  private static final String DOUBLE =
      "#include <iostream>\nint main(){long long x; std::cin >> x; std::cout << 2 * x << \"\\n\";}\n";
  private static DockerClient client;
  private static DockerSandboxExecutor executor;

  @BeforeAll
  static void connect() {
    SandboxSettings settings = SandboxSettings.defaults();
    client = DockerClients.connect(settings);
    try {
      client.inspectImageCmd(settings.cppImage()).exec();
    } catch (NotFoundException e) {
      fail("image " + settings.cppImage() + " not found: run sandbox-images/build-image.sh cpp");
    }
    executor = new DockerSandboxExecutor(client, settings);
  }

  @AfterAll
  static void close() throws Exception {
    client.close();
  }

  private static BatchResult run(List<String> programs, List<String> inputs) throws Exception {
    return executor.run(new ExecutionBatch(Language.CPP, programs, inputs, LIMITS));
  }

  @Test
  void compiledOnceAndRunOnEveryInput() throws Exception {
    BatchResult result =
        run(
            List.of(
                DOUBLE,
                "#include <cstdio>\nint main(){int x; scanf(\"%d\", &x); printf(\"%d\\n\", x + 1);}\n"),
            List.of("1\n", "20\n", "-7\n"));
    assertEquals(
        List.of("2", "40", "-14", "2", "21", "-6"),
        result.outcomes().stream().map(o -> o.stdout().strip()).toList());
    result.outcomes().forEach(o -> assertEquals(Verdict.OK, o.verdict(), o.toString()));
  }

  @Test
  void aCompileErrorIsThatProgramsVerdictOnEveryInputWithTheCompilersMessage() throws Exception {
    BatchResult result =
        run(List.of("int main() { return undefined_name; }\n", DOUBLE), List.of("1\n", "2\n"));
    for (int input = 0; input < 2; input++) {
      ExecutionOutcome broken = result.find(0, input).orElseThrow();
      assertEquals(Verdict.COMPILE_ERROR, broken.verdict());
      assertTrue(broken.stderrTail().contains("undefined_name"), broken.stderrTail());
      assertEquals(Verdict.OK, result.find(1, input).orElseThrow().verdict());
    }
  }

  @Test
  void crashesTimeoutsAndMemoryAreVerdicts() throws Exception {
    BatchResult result =
        run(
            List.of(
                "int main(){ volatile int* p = nullptr; *p = 1; }\n",
                "int main(){ volatile unsigned long i = 0; while (true) { i++; } }\n",
                "#include <vector>\nint main(){ std::vector<std::vector<char>> v; while (true) v.emplace_back(1 << 24, 1); }\n",
                "#include <cstdlib>\nint main(){ return 3; }\n"),
            List.of("\n"));
    assertEquals(Verdict.RUNTIME_ERROR, result.find(0, 0).orElseThrow().verdict());
    assertEquals(Verdict.TIMEOUT, result.find(1, 0).orElseThrow().verdict());
    assertEquals(Verdict.MEMORY_LIMIT, result.find(2, 0).orElseThrow().verdict());
    ExecutionOutcome exit3 = result.find(3, 0).orElseThrow();
    assertEquals(Verdict.RUNTIME_ERROR, exit3.verdict());
    assertEquals(3, exit3.exitCode());
  }
}
