package dev.quarry.core.config;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The validator's run-safety rules: credentials in URLs, and a sandbox batch that can finish. */
class RunSafetyValidationTest {
  private static String problemsOf(String yaml) {
    return String.join(
        "\n",
        assertThrows(RunConfigException.class, () -> RunConfigLoader.parse(yaml, "test"))
            .problems());
  }

  @Test
  void credentialsInAnEndpointUrlAreRefusedWithoutEchoingThem() {
    String problems =
        problemsOf(
            "roles:\n  generator:\n    endpoint: https://alice:s3cr3t-planted@api.example.test/v1\n");
    assertTrue(problems.contains("'roles.generator.endpoint'"), problems);
    assertTrue(problems.contains("apiKeyEnv"), problems);
    assertFalse(
        problems.contains("s3cr3t-planted"), "the message must not repeat the secret: " + problems);
  }

  @Test
  void aUserNameAloneIsAlsoRefused() {
    String problems =
        problemsOf("roles:\n  solver:\n    endpoint: http://token@127.0.0.1:8088/v1\n");
    assertTrue(problems.contains("'roles.solver.endpoint'"), problems);
  }

  @Test
  void aPlainEndpointPasses() {
    assertDoesNotThrow(
        () ->
            RunConfigLoader.parse(
                "roles:\n  solver:\n    endpoint: http://127.0.0.1:8088/v1\n", "test"));
  }

  @Test
  void aBatchThatCannotFinishWithinTheCeilingIsRefusedNamingTheFields() {
    String problems =
        problemsOf(
            "rolloutsPerCandidate: 64\ntestInputsPerCandidate: 64\nvalidity:\n  minRolloutsPerInput: 1\n"
                + "sandbox:\n  wallSeconds: 120\n");
    assertTrue(problems.contains("'rolloutsPerCandidate'"), problems);
    assertTrue(problems.contains("'testInputsPerCandidate'"), problems);
    assertTrue(problems.contains("'sandbox.wallSeconds'"), problems);
    assertTrue(problems.contains("ceiling of 6 h"), problems);
  }

  @Test
  void aBigButFeasibleBatchPasses() {
    assertDoesNotThrow(
        () ->
            RunConfigLoader.parse(
                "rolloutsPerCandidate: 16\ntestInputsPerCandidate: 16\nsandbox:\n  wallSeconds: 10\n",
                "test"));
  }

  @Test
  void methodsWithoutASandboxAreNotHeldToIt() {
    String yaml =
        "method: scalequest\nrolloutsPerCandidate: 64\ntestInputsPerCandidate: 64\nsandbox:\n  wallSeconds: 120\n";
    String problems;
    try {
      RunConfigLoader.parse(yaml, "test");
      problems = "";
    } catch (RunConfigException e) {
      problems = String.join("\n", e.problems());
    }
    assertFalse(problems.contains("ceiling"), problems);
  }
}
