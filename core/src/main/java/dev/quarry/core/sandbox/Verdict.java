package dev.quarry.core.sandbox;

/**
 * The outcome of one (program, input) execution.
 *
 * <p>{@link #SANDBOX_ERROR} is an infrastructure failure: it is retried and never scored as a
 * verdict of the solution. Everything else is the solution's own doing.
 */
public enum Verdict {
  /** Ran to completion with exit status 0; its output is recorded. */
  OK,
  /** Ran to completion but its output did not match the expected output. */
  WRONG_ANSWER,
  RUNTIME_ERROR,
  TIMEOUT,
  MEMORY_LIMIT,
  OUTPUT_LIMIT,
  COMPILE_ERROR,
  /**
   * The program disrupted the sandbox around it (its batch's runner lost, its report cut short or
   * past its deadline) and did so again in a container where only its own executions ran. The
   * program's own doing: a failed execution, scored like any other failure.
   */
  SANDBOX_VIOLATION,
  SANDBOX_ERROR;

  /** True when the solution itself produced this verdict (not the infrastructure). */
  public boolean isSolutionVerdict() {
    return this != SANDBOX_ERROR;
  }
}
