package dev.quarry.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class RunConfigLoaderTest {
  @Test
  void defaultsFillWhatAFileLeavesOut() {
    RunConfig config = RunConfigLoader.parse("candidatesPerPrompt: 5\n", "test");
    assertEquals(5, config.candidatesPerPrompt());
    assertEquals(3, config.rolloutsPerCandidate());
    assertEquals(Method.QUEST, config.method());
    assertEquals(0.2, config.concepts().alpha(), 1e-12);
    assertEquals("http://127.0.0.1:8088/v1", config.roles().solver().endpoint());
  }

  @Test
  void dedupDecontaminationAndExtractionDefaultsAndOverrides() {
    RunConfig defaults = RunConfigLoader.parse("", "test");
    assertTrue(defaults.dedup().enabled());
    assertEquals(0.8, defaults.dedup().threshold(), 1e-12);
    assertEquals(100, defaults.dedup().bands() * defaults.dedup().rows());
    assertEquals(List.of(), defaults.decontamination().files());
    assertEquals(13, defaults.decontamination().n());
    assertTrue(!defaults.concepts().extract());
    RunConfig set =
        RunConfigLoader.parse(
            "concepts:\n  extract: true\ndecontamination:\n  files: [bench/humaneval.jsonl]\n  n: 8\n",
            "test");
    assertTrue(set.concepts().extract());
    assertEquals(List.of("bench/humaneval.jsonl"), set.decontamination().files());
    assertEquals(8, set.decontamination().n());
    String problems = problemsOf("dedup:\n  threshold: 0\ndecontamination:\n  n: 0\n");
    assertTrue(problems.contains("'dedup.threshold': 0.0 is outside (0, 1]"), problems);
    assertTrue(problems.contains("'decontamination.n': 0 is outside [1, 1000]"), problems);
  }

  @Test
  void anEmptyFileIsTheDefaults() {
    assertEquals(4, RunConfigLoader.parse("", "test").promptsPerRound());
  }

  private static String problemsOf(String yaml) {
    return String.join(
        "\n",
        assertThrows(RunConfigException.class, () -> RunConfigLoader.parse(yaml, "test"))
            .problems());
  }

  @Test
  void wrongTypesNameTheField() {
    String problems = problemsOf("candidatesPerPrompt: two\n");
    assertTrue(problems.contains("'candidatesPerPrompt'"), problems);
    assertTrue(problems.contains("whole number"), problems);
  }

  @Test
  void impossibleValuesAreAllReported() {
    String problems =
        problemsOf(
            "candidatesPerPrompt: 0\nconcepts:\n  alpha: 1.5\nroles:\n  solver:\n    endpoint: not a url\n");
    assertTrue(problems.contains("'candidatesPerPrompt': 0 is outside [1, 64]"), problems);
    assertTrue(problems.contains("'concepts.alpha'"), problems);
    assertTrue(problems.contains("'roles.solver.endpoint'"), problems);
    assertTrue(
        problemsOf("budget:\n  maxTokens: -5\n").contains("'budget.maxTokens': -5 is negative"));
    assertTrue(
        problemsOf("roles:\n  solver:\n    requestsPerSecond: -1\n")
            .contains("'roles.solver.requestsPerSecond'"));
  }

  @Test
  void unknownFieldsAndRolesAreRejected() {
    assertTrue(problemsOf("promptsPerRund: 3\n").contains("unknown field 'promptsPerRund'"));
    assertTrue(
        problemsOf("roles:\n  jduge:\n    model: x\n").contains("unknown role 'roles.jduge'"));
  }

  @Test
  void apiKeysAreRefusedWithTheFix() {
    String problems = problemsOf("roles:\n  generator:\n    apiKey: sk-123\n");
    assertTrue(problems.contains("apiKeyEnv"), problems);
    assertTrue(!problems.contains("sk-123"), "the key must not be echoed back");
  }

  @Test
  void malformedYamlIsReported() {
    assertTrue(problemsOf("rounds: [1,\n").contains("not valid YAML/JSON"));
  }

  /** The prompt limits are the round sizes measured by scripts/scale-run.sh, per method. */
  @Test
  void aRoundIsRefusedOverTheSizeMeasuredForItsMethod() {
    assertEquals(2500, RunConfigLoader.parse("promptsPerRound: 2500\n", "test").promptsPerRound());
    assertTrue(
        problemsOf("promptsPerRound: 2501\n").contains("'promptsPerRound': 2501 is over 2500"));
    String scaleQuest = problemsOf("method: scalequest\npromptsPerRound: 2001\n");
    assertTrue(scaleQuest.contains("'promptsPerRound': 2001 is over 2000"), scaleQuest);
    assertTrue(scaleQuest.contains("docs/architecture.md"), scaleQuest);
    assertTrue(problemsOf("method: sparq\npromptsPerRound: 2001\n").contains("is over 2000"));
    assertEquals(
        2000,
        RunConfigLoader.parse(
                "method: sparq\nseeds: { file: m.jsonl, format: math }\npromptsPerRound: 2000\n",
                "test")
            .promptsPerRound());
    assertTrue(
        problemsOf("promptsPerRound: 0\n").contains("'promptsPerRound': 0 is outside [1, 2500]"));
  }
}
