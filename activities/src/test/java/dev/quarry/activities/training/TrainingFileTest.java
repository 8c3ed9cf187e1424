package dev.quarry.activities.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quarry.core.config.TrainingData;
import dev.quarry.workflows.activities.RetrainRequest;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingFileTest {
  @TempDir Path dir;

  private RetrainRequest round(int round) {
    return new RetrainRequest(
        "run-1", round, dir.resolve("round-" + round + ".rft.jsonl").toString(), 1, null, null);
  }

  @Test
  void rftTrainsOnTheRoundsRftExport() {
    assertEquals(
        dir.resolve("round-2.rft.jsonl"),
        TrainingActivitiesImpl.trainingFile(round(2), TrainingData.RFT));
  }

  @Test
  void dpoTrainsOnThePreferencePairsInOpenAisFormatNextToIt() throws Exception {
    Files.writeString(dir.resolve("round-1.dpo-openai.jsonl"), "{}\n");
    assertEquals(
        dir.resolve("round-1.dpo-openai.jsonl"),
        TrainingActivitiesImpl.trainingFile(round(1), TrainingData.DPO));
  }

  @Test
  void dpoWithoutPairsIsAConfigErrorThatSaysWhichMethodWritesThem() {
    ApplicationFailure failure =
        assertThrows(
            ApplicationFailure.class,
            () -> TrainingActivitiesImpl.trainingFile(round(0), TrainingData.DPO));
    assertTrue(failure.isNonRetryable());
    assertTrue(failure.getOriginalMessage().contains("scalequest"), failure.getOriginalMessage());
    assertTrue(failure.getOriginalMessage().contains("data: rft"), failure.getOriginalMessage());
  }
}
