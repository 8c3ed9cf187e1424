package dev.quarry.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScaleQuestConfigTest {
  private static String problemsOf(String yaml) {
    return String.join(
        "\n",
        assertThrows(RunConfigException.class, () -> RunConfigLoader.parse(yaml, "test"))
            .problems());
  }

  @Test
  void defaultsOfTheScaleQuestBlock() {
    RunConfig c = RunConfigLoader.parse("method: scalequest\n", "test");
    assertEquals(Method.SCALEQUEST, c.method());
    ScaleQuestConfig s = c.scalequest();
    assertTrue(s.questionPrefix().endsWith("<|im_start|>user\n"), s.questionPrefix());
    assertTrue(s.questionPrefix().contains("\\boxed{}"), s.questionPrefix());
    assertEquals(List.of("<|im_end|>", "<|im_start|>"), s.questionStop());
    assertEquals(4, s.solverSamples());
    assertEquals(5, s.responseSamples());
    assertEquals(0.25, s.minFailRate(), 0);
    assertEquals(1.0, s.maxFailRate(), 0);
    assertEquals(0.9, s.minLatinShare(), 0);
    assertEquals(0.1, s.minEnglishWordShare(), 0);
    assertTrue(s.qpoRewrites());
    assertEquals(0.5, s.qpoDifficultyShare(), 0);
    assertFalse(s.runAllFilters());
  }

  @Test
  void scaleQuestNeedsNoSeedsButQuestDoes() {
    RunConfig c =
        RunConfigLoader.parse("method: scalequest\nseeds:\n  file: ''\n  format: null\n", "test");
    assertEquals(Method.SCALEQUEST, c.method());
    String quest = problemsOf("seeds:\n  file: ''\n");
    assertTrue(quest.contains("'seeds.file'"), quest);
  }

  @Test
  void impossibleScaleQuestValuesAreAllReported() {
    String problems =
        problemsOf(
            "method: scalequest\nscalequest:\n  questionPrefix: ''\n  solverSamples: 0\n"
                + "  responseSamples: 17\n  minFailRate: 0.8\n  maxFailRate: 0.5\n"
                + "  qpoDifficultyShare: 1.5\n  questionStop: ['']\n"
                + "roles:\n  judge:\n    endpoint: nowhere\n");
    assertTrue(problems.contains("'scalequest.questionPrefix'"), problems);
    assertTrue(problems.contains("'scalequest.solverSamples': 0 is outside [1, 16]"), problems);
    assertTrue(problems.contains("'scalequest.responseSamples': 17 is outside [1, 16]"), problems);
    assertTrue(
        problems.contains("'scalequest.minFailRate': 0.8 is above maxFailRate 0.5"), problems);
    assertTrue(
        problems.contains("'scalequest.qpoDifficultyShare': 1.5 is outside [0, 1]"), problems);
    assertTrue(problems.contains("'scalequest.questionStop'"), problems);
    assertTrue(problems.contains("'roles.judge.endpoint'"), problems);
  }

  @Test
  void questDoesNotCheckScaleQuestRoles() {
    RunConfig c = RunConfigLoader.parse("roles:\n  judge:\n    endpoint: nowhere\n", "test");
    assertEquals(Method.QUEST, c.method());
  }

  @Test
  void theExampleConfigLoads() {
    RunConfig c = RunConfigLoader.load(Path.of("../examples/scalequest.yaml"));
    assertEquals(Method.SCALEQUEST, c.method());
    assertEquals(3, c.scalequest().solverSamples());
    assertEquals(0.3, c.scalequest().minFailRate(), 0);
  }

  @Test
  void unknownScaleQuestFieldsAreRejected() {
    assertTrue(
        problemsOf("scalequest:\n  solverSample: 3\n")
            .contains("unknown field 'scalequest.solverSample'"));
  }
}
