package dev.quarry.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The fewest replies a score may stand on, per method: defaults and bounds. */
class MinRepliesConfigTest {
  private static final String SPARQ =
      "method: sparq\nseeds:\n  file: seeds/math-seeds.jsonl\n  format: math\n";

  private static String problemsOf(String yaml) {
    return String.join(
        "\n",
        assertThrows(RunConfigException.class, () -> RunConfigLoader.parse(yaml, "test"))
            .problems());
  }

  @Test
  void defaultsAreThoseTheDocsName() {
    RunConfig quest = RunConfigLoader.parse("", "test");
    assertNull(quest.validity().minReplies());
    assertEquals(quest.validity().minRolloutsPerInput(), quest.validity().toRule().minReplies());
    RunConfig sq = RunConfigLoader.parse("method: scalequest\n", "test");
    assertEquals(2, sq.scalequest().minSolverReplies(), "half of 4 samples");
    RunConfig sparq = RunConfigLoader.parse(SPARQ, "test");
    assertEquals(2, sparq.sparq().minSolverReplies(), "half of 4 rollouts");
  }

  @Test
  void configuredValuesAreUsed() {
    assertEquals(
        3,
        RunConfigLoader.parse("validity:\n  minReplies: 3\n", "test")
            .validity()
            .toRule()
            .minReplies());
    assertEquals(
        4,
        RunConfigLoader.parse("method: scalequest\nscalequest:\n  minReplies: 4\n", "test")
            .scalequest()
            .minSolverReplies());
    assertEquals(
        1,
        RunConfigLoader.parse(SPARQ + "sparq:\n  minReplies: 1\n", "test")
            .sparq()
            .minSolverReplies());
  }

  @Test
  void aMinimumAboveWhatIsAskedForIsRefused() {
    assertTrue(
        problemsOf("validity:\n  minReplies: 4\n").contains("'validity.minReplies': 4 is outside"));
    assertTrue(
        problemsOf("method: scalequest\nscalequest:\n  minReplies: 5\n")
            .contains("'scalequest.minReplies': 5 is outside"));
    assertTrue(
        problemsOf(SPARQ + "sparq:\n  minReplies: 0\n")
            .contains("'sparq.minReplies': 0 is outside"));
  }
}
