package dev.quarry.workers.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class LlmSettingsTest {
  @Test
  void defaultsAreTheEmbeddedServerWithTwoSlotsAndNoRateLimit() {
    LlmSettings llm = Settings.bound(LlmSettings.class, Map.of());
    assertEquals(System.getenv().getOrDefault("QUARRY_LLM_MODEL", ""), llm.getModel());
    assertEquals(8088, llm.getPort());
    assertEquals(2, llm.getSlots());
    assertEquals(0, llm.getRequestsPerSecond());
    assertEquals(600, llm.getTimeoutSeconds());
    LlmSettings unbound = new LlmSettings();
    assertEquals(llm.getPort(), unbound.getPort(), "application.yml and the class agree");
    assertEquals(llm.getSlots(), unbound.getSlots());
    assertEquals(llm.getTimeoutSeconds(), unbound.getTimeoutSeconds());
  }

  @Test
  void aPortOutOfRangeOrNoSlotsIsRefusedNamingTheSetting() {
    String port = Settings.refusal(LlmSettings.class, Map.of("quarry.llm.port", 70000));
    assertTrue(port.contains("LlmSettings.port - must be less than or equal to 65535"), port);
    String slots = Settings.refusal(LlmSettings.class, Map.of("quarry.llm.slots", 0));
    assertTrue(slots.contains("LlmSettings.slots - must be greater than or equal to 1"), slots);
  }
}
