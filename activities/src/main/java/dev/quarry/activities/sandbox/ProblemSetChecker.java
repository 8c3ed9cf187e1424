package dev.quarry.activities.sandbox;

import dev.quarry.core.checks.CheckCase;
import dev.quarry.core.checks.CheckVerdicts;
import dev.quarry.core.sandbox.BatchResult;
import dev.quarry.core.sandbox.ExecutionBatch;
import dev.quarry.core.sandbox.ExecutionLimits;
import dev.quarry.core.sandbox.ExecutionOutcome;
import dev.quarry.core.sandbox.Language;
import dev.quarry.core.sandbox.OutputComparator;
import dev.quarry.core.sandbox.SandboxExecutor;
import dev.quarry.core.sandbox.SandboxUnavailableException;
import dev.quarry.core.sandbox.Verdict;
import dev.quarry.core.seeds.TestCase;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs reference solutions against their tests in the sandbox. Function-call cases share containers
 * (each is one program on an empty input); a stdin/stdout case is one batch of its program over its
 * inputs.
 */
public final class ProblemSetChecker {
  /** Function-call cases per container: amortises container start-up over many programs. */
  static final int PROGRAMS_PER_CONTAINER = 64;

  private final SandboxExecutor sandbox;

  public ProblemSetChecker(SandboxExecutor sandbox) {
    this.sandbox = sandbox;
  }

  /** The verdict of every case, by id, in input order. */
  public Map<String, Verdict> check(
      List<CheckCase> cases, OutputComparator comparator, ExecutionLimits limits)
      throws SandboxUnavailableException {
    Map<String, Verdict> verdicts = new LinkedHashMap<>();
    cases.forEach(c -> verdicts.put(c.id(), null));
    List<CheckCase> functionCalls = cases.stream().filter(CheckCase::functionCall).toList();
    for (int from = 0; from < functionCalls.size(); from += PROGRAMS_PER_CONTAINER) {
      List<CheckCase> chunk =
          functionCalls.subList(
              from, Math.min(functionCalls.size(), from + PROGRAMS_PER_CONTAINER));
      BatchResult result =
          sandbox.run(
              new ExecutionBatch(
                  Language.PYTHON,
                  chunk.stream().map(CheckCase::program).toList(),
                  List.of(""),
                  limits));
      for (int i = 0; i < chunk.size(); i++) {
        verdicts.put(chunk.get(i).id(), CheckVerdicts.functionCall(outcome(result, i, 0)));
      }
    }
    for (CheckCase c : cases) {
      if (!c.functionCall()) {
        BatchResult result =
            sandbox.run(
                new ExecutionBatch(
                    Language.PYTHON,
                    List.of(c.program()),
                    c.tests().stream().map(TestCase::input).toList(),
                    limits));
        List<ExecutionOutcome> outcomes = new ArrayList<>();
        for (int t = 0; t < c.tests().size(); t++) {
          outcomes.add(outcome(result, 0, t));
        }
        verdicts.put(c.id(), CheckVerdicts.stdio(c, outcomes, comparator));
      }
    }
    return verdicts;
  }

  private static ExecutionOutcome outcome(BatchResult result, int program, int input)
      throws SandboxUnavailableException {
    return result
        .find(program, input)
        .orElseThrow(
            () ->
                new SandboxUnavailableException(
                    "the sandbox reported no outcome for program "
                        + program
                        + " on input "
                        + input));
  }
}
