package dev.quarry.activities.sandbox;

import org.junit.jupiter.api.Disabled;

/**
 * {@link DockerSandboxIsolationTest} with the sandbox on gVisor (sandbox runtime runsc): the same
 * attacks must fail the same way. Skipped, with the reason, where gVisor is not registered
 * (scripts/ensure-gvisor.sh).
 */
class DockerGvisorSandboxIsolationTest extends DockerSandboxIsolationTest {
  @Override
  SandboxSettings settings() {
    return Gvisor.settingsOrSkip();
  }

  @Override
  @Disabled(
      "known gap: gVisor (Debian's 2022 runsc) has no /proc/sysvipc and ipcrm -a finds"
          + " nothing there, so a SysV segment outlives its execution under runsc; docs/sandbox.md")
  void nothingAnExecutionLeavesReachesTheNextOne() {}
}
