package dev.quarry.workers.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricsSettingsTest {
  @Test
  void defaultsServeMetricsOnPort9464AndZeroTurnsThemOff() {
    assertEquals(9464, new MetricsSettings().getPort());
    if (System.getenv("QUARRY_METRICS_PORT") == null) {
      assertEquals(9464, Settings.bound(QuarrySettings.class, Map.of()).getMetricsPort());
    }
    assertEquals(
        0, Settings.bound(QuarrySettings.class, Map.of("quarry.metrics.port", 0)).getMetricsPort());
  }

  @Test
  void aNegativePortIsRefused() {
    String refusal = Settings.refusal(MetricsSettings.class, Map.of("quarry.metrics.port", -1));
    assertTrue(refusal.contains("port") && refusal.contains("greater than or equal to 0"), refusal);
  }
}
