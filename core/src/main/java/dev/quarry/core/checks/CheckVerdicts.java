package dev.quarry.core.checks;

import dev.quarry.core.sandbox.ExecutionOutcome;
import dev.quarry.core.sandbox.OutputComparator;
import dev.quarry.core.sandbox.Verdict;
import java.util.List;

/** Turns a case's execution outcomes into one verdict: the first failure, else OK. */
public final class CheckVerdicts {
  private CheckVerdicts() {}

  /** For stdin/stdout cases: outcomes in test order. */
  public static Verdict stdio(
      CheckCase c, List<ExecutionOutcome> outcomes, OutputComparator comparator) {
    for (int i = 0; i < c.tests().size(); i++) {
      ExecutionOutcome outcome = outcomes.get(i);
      if (outcome.verdict() != Verdict.OK) {
        return outcome.verdict();
      }
      if (!comparator.matches(c.tests().get(i).output(), outcome.stdout())) {
        return Verdict.WRONG_ANSWER;
      }
    }
    return Verdict.OK;
  }

  /** For function-call cases: an assert that fails is a wrong answer; OK needs the sentinel. */
  public static Verdict functionCall(ExecutionOutcome outcome) {
    if (outcome.verdict() == Verdict.RUNTIME_ERROR
        && outcome.stderrTail().contains("AssertionError")) {
      return Verdict.WRONG_ANSWER;
    }
    if (outcome.verdict() == Verdict.OK && !FunctionCallHarness.ranToTheEnd(outcome.stdout())) {
      return Verdict.WRONG_ANSWER; // exited 0 before its tests finished
    }
    return outcome.verdict();
  }
}
