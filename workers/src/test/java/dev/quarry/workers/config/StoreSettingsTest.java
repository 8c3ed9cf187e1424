package dev.quarry.workers.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class StoreSettingsTest {
  @Test
  void defaultsAreFilesOnThisMachine() {
    assertEquals(StoreKind.FILE, new StoreSettings().getKind());
    if (System.getenv("QUARRY_STORE") == null) {
      StoreSettings bound = Settings.bound(StoreSettings.class, Map.of());
      assertEquals(StoreKind.FILE, bound.getKind());
      assertEquals("us-east-1", bound.getS3Region());
    }
    assertEquals(
        StoreKind.S3,
        Settings.bound(StoreSettings.class, Map.of("quarry.store.kind", "S3")).getKind());
  }

  @Test
  void anUnknownKindIsRefusedNamingTheSettingAndValue() {
    String refusal = Settings.refusal(StoreSettings.class, Map.of("quarry.store.kind", "gcs"));
    assertTrue(refusal.contains("[quarry.store.kind]"), refusal);
    assertTrue(refusal.contains("'gcs' is not one of file, s3"), refusal);
  }
}
