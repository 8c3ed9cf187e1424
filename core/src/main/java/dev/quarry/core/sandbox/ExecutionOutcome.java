package dev.quarry.core.sandbox;

/**
 * What one (program, input) execution did. The verdict here is never {@link Verdict#WRONG_ANSWER}:
 * comparing against an expected output is the caller's job (see {@link OutputComparator}); the
 * sandbox only reports how the program ended.
 *
 * @param stdout the program's standard output, cut at the output cap
 * @param stderrTail the last part of standard error, for diagnostics
 */
public record ExecutionOutcome(
    int programIndex,
    int inputIndex,
    Verdict verdict,
    String stdout,
    String stderrTail,
    int exitCode,
    double wallSeconds) {}
