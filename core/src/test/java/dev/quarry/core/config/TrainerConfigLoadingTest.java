package dev.quarry.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class TrainerConfigLoadingTest {
  @Test
  void theDefaultIsRecordOnly() {
    RunConfig config = RunConfigLoader.parse("", "test");
    assertEquals(TrainerBackend.RECORD, config.trainer().backend());
  }

  @Test
  void anOpenAiBlockIsReadWithItsHyperparameters() {
    RunConfig config =
        RunConfigLoader.parse(
            "trainer:\n  backend: openai\n  openai:\n    endpoint: https://api.openai.com/v1/\n"
                + "    apiKeyEnv: OPENAI_API_KEY\n    baseModel: gpt-4o-mini\n    suffix: quarry\n"
                + "    hyperparameters: {n_epochs: 3}\n    pollSeconds: 20\n    data: rft\n",
            "test");
    assertEquals("gpt-4o-mini", config.trainer().openai().baseModel());
    assertEquals(3, config.trainer().openai().hyperparameters().get("n_epochs"));
    assertEquals(20, config.trainer().openai().pollSeconds());
  }

  @Test
  void thePythonBlockHasDefaultsAndTakesOverrides() {
    RunConfig config =
        RunConfigLoader.parse(
            "trainer:\n  backend: python\n  python:\n    baseModel: /models/tiny.gguf\n"
                + "    loraTargets: [v_proj, down_proj]\n    maxSteps: 30\n",
            "test");
    TrainerConfig.Python python = config.trainer().python();
    assertEquals("quarry-train-python", python.taskQueue());
    assertEquals("/models/tiny.gguf", python.baseModel());
    assertEquals(List.of("v_proj", "down_proj"), python.loraTargets());
    assertEquals(30, python.maxSteps());
    assertEquals(8, python.loraR());
    assertEquals(2.0e-4, python.learningRate());
    assertEquals(60, python.heartbeatSeconds());
    assertEquals(TrainingData.RFT, python.data());
  }

  @Test
  void problemsInThePythonBlockStopTheRun() {
    RunConfigException e =
        assertThrows(
            RunConfigException.class,
            () ->
                RunConfigLoader.parse(
                    "trainer:\n  backend: python\n  python:\n    baseModel: model.bin\n    loraTargets: [lm_head]\n",
                    "test"));
    String problems = String.join("\n", e.problems());
    assertTrue(
        problems.contains("trainer.python.baseModel must be the base model's GGUF"), problems);
    assertTrue(problems.contains("'lm_head' is not one of"), problems);
  }

  @Test
  void problemsInTheBlockStopTheRun() {
    RunConfigException e =
        assertThrows(
            RunConfigException.class,
            () -> RunConfigLoader.parse("trainer:\n  backend: openai\n", "test"));
    assertTrue(String.join("\n", e.problems()).contains("trainer.openai.baseModel"));
  }

  @Test
  void withGeneratorModelChangesOnlyTheGeneratorsModel() {
    RunConfig config = RunConfigLoader.parse("", "test");
    RunConfig next = config.withGeneratorModel("ft:base:quarry:1");
    assertEquals("ft:base:quarry:1", next.roles().generator().model());
    assertNotEquals(config.roles().generator().model(), next.roles().generator().model());
    assertEquals(config.roles().generator().endpoint(), next.roles().generator().endpoint());
    assertEquals(config.roles().solver(), next.roles().solver());
    assertEquals(config.trainer(), next.trainer());
    assertEquals(config.withGeneratorModel(config.roles().generator().model()), config);
  }
}
