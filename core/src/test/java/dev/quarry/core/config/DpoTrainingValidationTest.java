package dev.quarry.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DpoTrainingValidationTest {
  private static final String DPO_TRAINER =
      "trainer:\n  backend: openai\n  openai:\n    endpoint: https://api.openai.com/v1/\n"
          + "    apiKeyEnv: OPENAI_API_KEY\n    baseModel: gpt-4o-mini\n    data: dpo\n";

  @Test
  void dpoTrainingOfAQuestRunIsRefusedBeforeItStarts() {
    RunConfigException e =
        assertThrows(
            RunConfigException.class,
            () -> RunConfigLoader.parse("method: quest\n" + DPO_TRAINER, "test"));
    String problems = String.join("\n", e.problems());
    assertTrue(
        problems.contains("trainer.openai.data") && problems.contains("use data: rft"), problems);
  }

  @Test
  void dpoTrainingOfAScaleQuestRunWithoutRewritesIsRefused() {
    assertThrows(
        RunConfigException.class,
        () ->
            RunConfigLoader.parse(
                "method: scalequest\nscalequest:\n  qpoRewrites: false\n" + DPO_TRAINER, "test"));
  }

  @Test
  void dpoTrainingOfAScaleQuestRunWithRewritesIsAccepted() {
    RunConfig config = RunConfigLoader.parse("method: scalequest\n" + DPO_TRAINER, "test");
    assertEquals(TrainingData.DPO, config.trainer().openai().data());
  }

  @Test
  void pythonDpoTrainingOfASparqRunIsRefusedToo() {
    RunConfigException e =
        assertThrows(
            RunConfigException.class,
            () ->
                RunConfigLoader.parse(
                    "method: sparq\ntrainer:\n  backend: python\n  python:\n    data: dpo\n",
                    "test"));
    assertTrue(
        String.join("\n", e.problems()).contains("trainer.python.data"),
        String.join("\n", e.problems()));
  }
}
