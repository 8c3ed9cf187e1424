package dev.quarry.workers.cli.run;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quarry.workflows.Usage;
import dev.quarry.workflows.run.RunSummary;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProgressViewSummaryTest {
  private static RunSummary summary(int rows) {
    return new RunSummary(
        "demo", 1, false, rows, 8, 8 - rows, List.of(), List.of(), Usage.ZERO, null);
  }

  @Test
  void anEmptyDatasetEndsWithTheCommandForFullRowsAndTheConfigChangeForRealData() {
    String text = ProgressView.summary(summary(0), "http://127.0.0.1:8233", "default");
    assertTrue(text.endsWith(ProgressView.EMPTY_DATASET), text);
    assertTrue(text.contains("make demo METHOD=quest-scripted"), text);
    assertTrue(text.contains("roles: {generator: {endpoint:"), text);
  }

  @Test
  void aDatasetWithRowsSaysNothingAboutEmptiness() {
    assertFalse(
        ProgressView.summary(summary(3), "http://127.0.0.1:8233", "default")
            .contains("dataset is empty"));
  }
}
