package dev.quarry.workers.cli.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.quarry.workflows.activities.GeneratorVersion;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProgressViewVersionTest {
  @Test
  void versionLinesShowTheLossBeforeAndAfterOrWhyTrainingWasSkipped() {
    assertEquals(
        "  v1: python-lora, model registry/r/v1, loss 11.764 → 10.119",
        ProgressView.versionLine(
            new GeneratorVersion(
                "v1",
                "v0",
                "registry/r/v1",
                "d",
                "python-lora",
                0,
                Map.of("lossBefore", 11.7642, "lossAfter", 10.1187, "sha256", "ab"))));
    assertEquals(
        "  v2: openai, model ft:x, loss 0.420",
        ProgressView.versionLine(
            new GeneratorVersion("v2", "v1", "ft:x", "d", "openai", 1, Map.of("trainLoss", 0.42))));
    assertEquals(
        "  v3: python-lora, model registry/r/v1, not trained: no rows",
        ProgressView.versionLine(
            new GeneratorVersion(
                "v3", "v2", "registry/r/v1", "d", "python-lora", 2, Map.of("skipped", "no rows"))));
    assertEquals(
        "  v1: record-only, model tiny",
        ProgressView.versionLine(
            new GeneratorVersion("v1", "v0", "tiny", "d", "record-only", 0, null)));
  }
}
