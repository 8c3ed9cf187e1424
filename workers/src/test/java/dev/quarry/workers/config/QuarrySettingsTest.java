package dev.quarry.workers.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.context.ApplicationContext;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QuarrySettingsTest {
  @Test
  void theRootHoldsTheHomeAndTheBoundSettingsOfEachConcern() {
    try (ApplicationContext context =
        ApplicationContext.run(Map.of("quarry.home", "/srv/quarry", "quarry.llm.slots", 5))) {
      QuarrySettings settings = context.getBean(QuarrySettings.class);
      assertEquals(Path.of("/srv/quarry"), settings.homePath());
      assertSame(context.getBean(TemporalSettings.class), settings.getTemporal());
      assertSame(context.getBean(SandboxWorkerSettings.class), settings.getSandbox());
      assertSame(context.getBean(LlmSettings.class), settings.getLlm());
      assertSame(context.getBean(MetricsSettings.class), settings.getMetrics());
      assertEquals(5, settings.getLlm().getSlots());
    }
  }

  @Test
  void defaultsWithoutAContextAreThoseOfEachConcern() {
    QuarrySettings settings = new QuarrySettings();
    assertEquals(".quarry", settings.getHome());
    assertEquals(9464, settings.getMetricsPort());
    assertEquals("127.0.0.1:7233", settings.getTemporal().getAddress());
    assertEquals(
        Path.of(".quarry")
            .toAbsolutePath()
            .resolve("models")
            .resolve("SmolLM2-135M-Instruct.Q4_1.gguf"),
        settings.modelPath());
  }

  @Test
  void aBlankHomeIsRefused() {
    String refusal = Settings.refusal(QuarrySettings.class, Map.of("quarry.home", ""));
    assertTrue(refusal.contains("home"), refusal);
  }
}
