package dev.quarry.activities.sandbox;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quarry.core.sandbox.ExecutionOutcome;
import dev.quarry.core.sandbox.Verdict;
import org.junit.jupiter.api.Test;

/**
 * {@link DockerHostileCodeTest} with the sandbox on gVisor (sandbox runtime runsc): the same
 * attacks must fail the same way. Skipped, with the reason, where gVisor is not registered
 * (scripts/ensure-gvisor.sh).
 */
class DockerGvisorHostileCodeTest extends DockerHostileCodeTest {
  @Override
  SandboxSettings settings() {
    return Gvisor.settingsOrSkip();
  }

  /**
   * Once in CI, Debian's 2022 runsc (ptrace platform) died under this fork bomb: the container
   * exited 2 with no runner message, which is how its Go Sentry exits on a fatal error. The
   * executor then treats the batch as disrupted and the culprit search re-runs each program alone,
   * so the neighbour still gets its own verdict and the bomb either its own (as on runc) or
   * SANDBOX_VIOLATION, never SANDBOX_ERROR and never a retried batch.
   */
  @Override
  @Test
  void forkBomb() throws Exception {
    ExecutionOutcome o = attack(FORK_BOMB);
    assertTrue(
        o.verdict() == Verdict.TIMEOUT
            || o.verdict() == Verdict.RUNTIME_ERROR
            || o.verdict() == Verdict.SANDBOX_VIOLATION,
        o.toString());
    assertNotEquals(Verdict.SANDBOX_ERROR, o.verdict());
  }

  /**
   * gVisor (Debian's 2022 runsc) lets another uid read a non-dumpable root process's
   * /proc/PID/environ, which Linux refuses. The runner's environment is the image's (the executor
   * passes none), so what matters is that its memory and descriptors stay closed and that the
   * environment holds nothing but the image's variables and the hostname.
   */
  @Override
  @Test
  void theRunnersMemoryAndFilesAreClosedToPrograms() throws Exception {
    ExecutionOutcome o =
        attack(
            "import os\nppid = os.getppid()\n"
                + "for path in ('/proc/%d/mem' % ppid, '/proc/%d/fd/0' % ppid, '/proc/%d/fd/1' % ppid):\n"
                + "    try:\n        open(path, 'rb').read(1); print('OPENED', path)\n    except OSError:\n        pass\n"
                + "try:\n    print(sorted(k.split(b'=')[0].decode() for k in open('/proc/%d/environ' % ppid, 'rb').read().split(b'\\0') if k))\n"
                + "except OSError:\n    print([])\n");
    assertFalse(o.stdout().contains("OPENED"), o.stdout());
    String environ = o.stdout().strip();
    assertTrue(
        environ.equals("[]")
            || environ.equals("['HOME', 'HOSTNAME', 'LANG', 'PATH', 'QUARRY_SANDBOX']"),
        environ);
  }
}
