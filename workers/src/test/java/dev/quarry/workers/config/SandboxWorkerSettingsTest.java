package dev.quarry.workers.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quarry.activities.sandbox.SandboxSettings;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SandboxWorkerSettingsTest {
  @Test
  void defaultsAreTheRealDockerSandboxOnRunc() {
    SandboxWorkerSettings sandbox = Settings.bound(SandboxWorkerSettings.class, Map.of());
    assertEquals(SandboxMode.DOCKER, sandbox.getMode());
    assertEquals(SandboxSettings.RUNC, sandbox.getRuntime());
    assertEquals(2, sandbox.getSlots());
    assertEquals(2, sandbox.getParallelism());
    assertEquals(SandboxSettings.DEFAULT_IMAGE, new SandboxWorkerSettings().getImage());
    assertEquals(SandboxSettings.DEFAULT_CPP_IMAGE, new SandboxWorkerSettings().getCppImage());
    assertEquals(2, sandbox.toSandboxSettings().parallelism());
  }

  @Test
  void theModeIsReadInAnyCase() {
    assertEquals(
        SandboxMode.SCRIPTED,
        Settings.bound(SandboxWorkerSettings.class, Map.of("quarry.sandbox.mode", " Scripted"))
            .getMode());
  }

  @Test
  void anUnknownModeOrRuntimeIsRefusedNamingTheSetting() {
    String mode =
        Settings.refusal(SandboxWorkerSettings.class, Map.of("quarry.sandbox.mode", "podman"));
    assertTrue(mode.contains("[quarry.sandbox.mode]"), mode);
    assertTrue(mode.contains("'podman' is not one of docker, scripted"), mode);
    String runtime =
        Settings.refusal(SandboxWorkerSettings.class, Map.of("quarry.sandbox.runtime", "kata"));
    assertTrue(runtime.contains("SandboxWorkerSettings.runtime - must be runc or runsc"), runtime);
    String slots = Settings.refusal(SandboxWorkerSettings.class, Map.of("quarry.sandbox.slots", 0));
    assertTrue(
        slots.contains("SandboxWorkerSettings.slots - must be greater than or equal to 1"), slots);
  }
}
