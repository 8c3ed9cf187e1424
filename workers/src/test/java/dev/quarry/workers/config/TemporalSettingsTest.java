package dev.quarry.workers.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TemporalSettingsTest {
  @Test
  void defaultsAreTheLocalDevServerWithoutSecurity() {
    TemporalSettings unbound = new TemporalSettings();
    assertEquals("127.0.0.1:7233", unbound.getAddress());
    assertEquals("default", unbound.getNamespace());
    assertEquals(8233, unbound.getUiPort());
    assertEquals("http://127.0.0.1:8233", unbound.uiAddress());
    assertFalse(unbound.getSecurity().isTls());
    TemporalSettings bound = Settings.bound(TemporalSettings.class, Map.of());
    if (System.getenv("QUARRY_TEMPORAL_ADDRESS") == null) {
      assertEquals(unbound.getAddress(), bound.getAddress(), "application.yml and the class agree");
    }
    assertEquals(unbound.getUiPort(), bound.getUiPort());
    assertEquals("QUARRY_TEMPORAL_API_KEY", bound.getSecurity().getApiKeyEnv());
  }

  @Test
  void aBlankAddressOrNamespaceIsRefusedNamingTheSetting() {
    String address =
        Settings.refusal(TemporalSettings.class, Map.of("quarry.temporal.address", " "));
    assertTrue(address.contains("TemporalSettings.address - must not be blank"), address);
    String namespace =
        Settings.refusal(TemporalSettings.class, Map.of("quarry.temporal.namespace", ""));
    assertTrue(namespace.contains("TemporalSettings.namespace - must not be blank"), namespace);
    String uiPort = Settings.refusal(TemporalSettings.class, Map.of("quarry.temporal.ui-port", 0));
    assertTrue(
        uiPort.contains("TemporalSettings.uiPort - must be greater than or equal to 1"), uiPort);
  }
}
