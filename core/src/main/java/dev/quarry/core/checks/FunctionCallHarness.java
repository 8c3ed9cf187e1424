package dev.quarry.core.checks;

/**
 * Turns a solution plus assert-style tests into one program that prints a sentinel as its very last
 * act. Exit status 0 alone proves nothing (a program may exit before its asserts), so a pass needs
 * the sentinel on the last line of the output.
 */
public final class FunctionCallHarness {
  public static final String SENTINEL = "__QUARRY_ALL_TESTS_RAN__";

  private FunctionCallHarness() {}

  public static String program(String solution, String setup, String tests) {
    return String.join(
        "\n",
        solution == null ? "" : solution,
        setup == null ? "" : setup,
        tests == null ? "" : tests,
        "print(\"" + SENTINEL + "\")",
        "");
  }

  /** True when the output ends with the sentinel line. */
  public static boolean ranToTheEnd(String stdout) {
    return stdout != null && stdout.stripTrailing().endsWith(SENTINEL);
  }
}
