package dev.quarry.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrainerConfigTest {
  private static TrainerConfig.OpenAi openai(
      String endpoint, String keyEnv, int poll, TrainingData data) {
    return new TrainerConfig.OpenAi(endpoint, keyEnv, "gpt-4o-mini", "q", Map.of(), poll, data);
  }

  @Test
  void recordNeedsNothingElse() {
    assertEquals(List.of(), new TrainerConfig(TrainerBackend.RECORD, null, null, null).problems());
  }

  @Test
  void aValidOpenAiBlockPasses() {
    assertEquals(
        List.of(),
        new TrainerConfig(
                TrainerBackend.OPENAI,
                openai("https://api.openai.com/v1/", "OPENAI_API_KEY", 30, TrainingData.DPO),
                null,
                null)
            .problems());
  }

  @Test
  void aMissingBackendListsTheChoices() {
    List<String> problems = new TrainerConfig(null, null, null, null).problems();
    assertEquals(
        List.of("trainer.backend must be one of [record, openai, container, python]"), problems);
  }

  @Test
  void openAiWithoutItsBlockIsReported() {
    assertTrue(
        new TrainerConfig(TrainerBackend.OPENAI, null, null, null)
            .problems()
            .get(0)
            .contains("trainer.openai block"));
  }

  @Test
  void aKeyInPlaceOfTheVariableNameIsRejectedWithEveryOtherProblem() {
    List<String> problems =
        new TrainerConfig(
                TrainerBackend.OPENAI,
                openai("api.openai.com", "sk-proj-abc-123", 0, null),
                null,
                null)
            .problems();
    assertEquals(4, problems.size(), problems.toString());
    assertTrue(problems.get(1).contains("never hold the key itself"));
  }

  @Test
  void aContainerBlockNeedsAnImageAndSaneGpusAndEnvNames() {
    var ok = new TrainerConfig.Container("trainer:1", List.of(), "all", List.of("HF_TOKEN"));
    assertEquals(List.of(), new TrainerConfig(TrainerBackend.CONTAINER, null, ok, null).problems());
    assertEquals(-1, ok.gpuCount());
    assertEquals(2, new TrainerConfig.Container("t", null, "2", null).gpuCount());
    var bad = new TrainerConfig.Container("", List.of(), "many", List.of("HF_TOKEN=abc"));
    List<String> problems = new TrainerConfig(TrainerBackend.CONTAINER, null, bad, null).problems();
    assertEquals(3, problems.size(), problems.toString());
    assertTrue(problems.get(2).contains("'HF_TOKEN=abc'"));
  }

  private static TrainerConfig.Python python(
      String queue, String base, int r, double epochs, int steps, double lr, int beat) {
    return new TrainerConfig.Python(
        queue,
        base,
        TrainingData.RFT,
        r,
        16,
        List.of("v_proj", "o_proj"),
        epochs,
        steps,
        lr,
        2,
        512,
        0,
        beat);
  }

  @Test
  void aValidPythonBlockPasses() {
    assertEquals(
        List.of(),
        new TrainerConfig(
                TrainerBackend.PYTHON,
                null,
                null,
                python("quarry-train-python", "SmolLM2-135M-Instruct.Q4_1.gguf", 8, 2, 0, 2e-4, 60))
            .problems());
  }

  @Test
  void aPythonBlockReportsEveryProblemWithWhatToFix() {
    assertTrue(
        new TrainerConfig(TrainerBackend.PYTHON, null, null, null)
            .problems()
            .get(0)
            .contains("trainer.python block"));
    List<String> problems =
        new TrainerConfig(
                TrainerBackend.PYTHON,
                null,
                null,
                python("quarry train", "model.safetensors", 0, 0, 0, 2.0, 1))
            .problems();
    assertEquals(6, problems.size(), problems.toString());
    assertTrue(problems.get(0).contains("trainer.python.taskQueue"), problems.toString());
    assertTrue(problems.get(1).contains("GGUF"), problems.toString());
    assertTrue(problems.get(2).contains("loraR must be 1 to 1024, got 0"), problems.toString());
    assertTrue(problems.get(3).contains("epochs > 0 or maxSteps >= 1"), problems.toString());
    assertTrue(problems.get(4).contains("learningRate"), problems.toString());
    assertTrue(
        problems.get(5).contains("heartbeatSeconds must be at least 5"), problems.toString());
  }
}
