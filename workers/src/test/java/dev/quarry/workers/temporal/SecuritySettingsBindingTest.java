package dev.quarry.workers.temporal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quarry.workers.config.QuarrySettings;
import dev.quarry.workers.config.TemporalSettings;
import io.micronaut.context.ApplicationContext;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The security settings bind from configuration like the rest of QuarrySettings, and default to
 * off.
 */
class SecuritySettingsBindingTest {
  @Test
  void defaultsAreAPlainConnectionWithoutEncryption() {
    try (ApplicationContext context = ApplicationContext.run()) {
      TemporalSettings.Security security =
          context.getBean(QuarrySettings.class).getTemporal().getSecurity();
      assertFalse(TemporalTls.wanted(security, false));
      assertEquals("", security.getPayloadKeysFile());
      assertEquals("QUARRY_TEMPORAL_API_KEY", security.getApiKeyEnv());
      assertEquals("QUARRY_PAYLOAD_KEYS", security.getPayloadKeysEnv());
    }
  }

  @Test
  void everySettingBinds() {
    Map<String, Object> properties =
        Map.of(
            "quarry.temporal.security.tls", "true",
            "quarry.temporal.security.server-ca", "/tls/ca.pem",
            "quarry.temporal.security.client-cert", "/tls/worker.pem",
            "quarry.temporal.security.client-key", "/tls/worker.key",
            "quarry.temporal.security.server-name", "temporal.internal",
            "quarry.temporal.security.api-key-env", "MY_KEY",
            "quarry.temporal.security.payload-keys-file", "/keys",
            "quarry.temporal.security.payload-keys-env", "MY_PAYLOAD_KEYS");
    try (ApplicationContext context = ApplicationContext.run(properties)) {
      TemporalSettings.Security security =
          context.getBean(QuarrySettings.class).getTemporal().getSecurity();
      assertTrue(security.isTls());
      assertEquals("/tls/ca.pem", security.getServerCa());
      assertEquals("/tls/worker.pem", security.getClientCert());
      assertEquals("/tls/worker.key", security.getClientKey());
      assertEquals("temporal.internal", security.getServerName());
      assertEquals("MY_KEY", security.getApiKeyEnv());
      assertEquals("/keys", security.getPayloadKeysFile());
      assertEquals("MY_PAYLOAD_KEYS", security.getPayloadKeysEnv());
    }
  }
}
