package dev.quarry.activities.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.core.checks.CheckCase;
import dev.quarry.core.checks.CheckFormat;
import dev.quarry.core.sandbox.ExecutionLimits;
import dev.quarry.core.sandbox.OutputComparator;
import dev.quarry.core.sandbox.Verdict;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reference-solution checks on the real engine, in every format, with positive evidence. */
class DockerProblemSetCheckerTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static CheckCase row(CheckFormat format, String json) throws Exception {
    return format.parse(JSON.readTree(json), 1);
  }

  @Test
  void verdictsInEveryFormat() throws Exception {
    List<CheckCase> cases =
        List.of(
            row(
                CheckFormat.MBPP,
                "{\"task_id\": \"add\", \"code\": \"def add(a, b):\\n    return a + b\", \"test_setup_code\": \"\", \"test_list\": [\"assert add(1, 2) == 3\", \"assert add(-1, 1) == 0\"]}"),
            row(
                CheckFormat.MBPP,
                "{\"task_id\": \"wrong\", \"code\": \"def add(a, b):\\n    return a - b\", \"test_setup_code\": \"\", \"test_list\": [\"assert add(1, 2) == 3\"]}"),
            // Exits with status 0 before any assert runs: no evidence the tests ran, so not a pass.
            row(
                CheckFormat.MBPP,
                "{\"task_id\": \"quits\", \"code\": \"import sys\\nsys.exit(0)\", \"test_setup_code\": \"\", \"test_list\": [\"assert False\"]}"),
            row(
                CheckFormat.HUMANEVAL,
                "{\"task_id\": \"H/0\", \"prompt\": \"def twice(x):\\n\", \"canonical_solution\": \"    return 2 * x\\n\", \"test\": \"def check(f):\\n    assert f(3) == 6\\n\", \"entry_point\": \"twice\"}"),
            row(
                CheckFormat.QUARRY,
                "{\"id\": \"sum\", \"solution\": \"print(sum(map(int, input().split())))\", \"tests\": [{\"input\": \"1 2\\n\", \"output\": \"3\\n\"}, {\"input\": \"5 5\\n\", \"output\": \" 10 \"}]}"),
            row(
                CheckFormat.QUARRY,
                "{\"id\": \"off\", \"solution\": \"print(int(input()) + 1)\", \"tests\": [{\"input\": \"1\\n\", \"output\": \"2\\n\"}, {\"input\": \"2\\n\", \"output\": \"4\\n\"}]}"));
    try (DockerSandboxExecutor sandbox = DockerSandboxExecutor.create(SandboxSettings.defaults())) {
      Map<String, Verdict> verdicts =
          new ProblemSetChecker(sandbox)
              .check(cases, OutputComparator.DEFAULT, new ExecutionLimits(5, 256, 1 << 16));
      assertEquals(Verdict.OK, verdicts.get("add"));
      assertEquals(Verdict.WRONG_ANSWER, verdicts.get("wrong"));
      assertEquals(Verdict.WRONG_ANSWER, verdicts.get("quits"));
      assertEquals(Verdict.OK, verdicts.get("H/0"));
      assertEquals(Verdict.OK, verdicts.get("sum"));
      assertEquals(Verdict.WRONG_ANSWER, verdicts.get("off"));
      assertEquals(
          List.of("add", "wrong", "quits", "H/0", "sum", "off"), List.copyOf(verdicts.keySet()));
    }
  }

  @Test
  void everySeedReferenceSolutionPassesInTheSandbox() throws Exception {
    List<CheckCase> cases = new ArrayList<>();
    int line = 0;
    for (String text : Files.readAllLines(Path.of("../seeds/quarry-seeds.jsonl"))) {
      cases.add(CheckFormat.QUARRY.parse(JSON.readTree(text), ++line));
    }
    try (DockerSandboxExecutor sandbox = DockerSandboxExecutor.create(SandboxSettings.defaults())) {
      Map<String, Verdict> verdicts =
          new ProblemSetChecker(sandbox)
              .check(cases, OutputComparator.DEFAULT, new ExecutionLimits(10, 512, 1 << 20));
      assertEquals(38, verdicts.size());
      verdicts.forEach((id, verdict) -> assertEquals(Verdict.OK, verdict, id));
    }
  }
}
