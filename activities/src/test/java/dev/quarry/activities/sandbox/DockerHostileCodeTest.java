package dev.quarry.activities.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import com.github.dockerjava.api.DockerClient;
import dev.quarry.core.sandbox.BatchResult;
import dev.quarry.core.sandbox.ExecutionBatch;
import dev.quarry.core.sandbox.ExecutionLimits;
import dev.quarry.core.sandbox.ExecutionOutcome;
import dev.quarry.core.sandbox.Language;
import dev.quarry.core.sandbox.Verdict;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Hostile programs on the real engine. Each runs beside a benign neighbour in the same batch:
 * the attack gets its verdict, the neighbour still answers, and afterwards no container of this
 * test is left, the host is untouched and the next execution works.
 */
class DockerHostileCodeTest {
  private static final String BENIGN = "print(int(input()) * 2)\n";
  private static final ExecutionLimits LIMITS = new ExecutionLimits(2, 128, 1 << 16);
  private static DockerClient client;
  private static DockerSandboxExecutor executor;

  @BeforeAll
  static void connect() {
    for (String noisy : List.of("org.apache.hc", "com.github.dockerjava")) {
      ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(noisy)).setLevel(Level.INFO);
    }
    SandboxSettings settings = SandboxSettings.defaults();
    client = DockerClients.connect(settings);
    executor = new DockerSandboxExecutor(client, settings);
  }

  @AfterAll
  static void close() throws Exception {
    client.close();
  }

  /** The attack, then its neighbour: verdict of the attack, the neighbour's output intact. */
  private static ExecutionOutcome attack(String program) throws Exception {
    BatchResult result =
        executor.run(new ExecutionBatch(Language.PYTHON, List.of(program, BENIGN), List.of("21\n"), LIMITS));
    ExecutionOutcome neighbour = result.find(1, 0).orElseThrow();
    assertEquals(Verdict.OK, neighbour.verdict(), "the neighbour was harmed: " + neighbour);
    assertEquals("42", neighbour.stdout().strip());
    return result.find(0, 0).orElseThrow();
  }

  @AfterEach
  void nothingLeftBehindAndTheNextExecutionWorks() throws Exception {
    long left = client.listContainersCmd().withShowAll(true)
        .withLabelFilter(Map.of(ContainerReaper.LABEL, "true")).exec().stream()
        .filter(c -> c.getState() != null && !c.getState().equals("running"))
        .count();
    assertEquals(0, left, "stopped sandbox containers were left behind");
    BatchResult next = executor.run(new ExecutionBatch(Language.PYTHON, List.of(BENIGN), List.of("1\n"), LIMITS));
    assertEquals("2", next.outcomes().get(0).stdout().strip());
  }

  @Test
  void forkBomb() throws Exception {
    ExecutionOutcome o = attack("import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        pass\n");
    assertTrue(o.verdict() == Verdict.TIMEOUT || o.verdict() == Verdict.RUNTIME_ERROR, o.toString());
  }

  @Test
  void sleepForever() throws Exception {
    assertEquals(Verdict.TIMEOUT, attack("import time\ntime.sleep(10**6)\n").verdict());
  }

  @Test
  void writesOutsideTmpFail() throws Exception {
    ExecutionOutcome o = attack(
        "import os\nfor p in ['/etc/evil', '/opt/quarry/evil', '/usr/evil', '/evil', '/var/evil']:\n"
            + "    try:\n        open(p, 'w').write('x'); print('WROTE', p)\n    except OSError:\n        pass\n");
    assertFalse(o.stdout().contains("WROTE"), o.stdout());
  }

  @Test
  void fillingTmpHitsItsCap() throws Exception {
    ExecutionOutcome o = attack(
        "f = open('/tmp/fill', 'wb')\nchunk = b'x' * (1 << 20)\nwhile True:\n    f.write(chunk)\n    f.flush()\n");
    assertTrue(o.verdict() == Verdict.RUNTIME_ERROR || o.verdict() == Verdict.OUTPUT_LIMIT
        || o.verdict() == Verdict.MEMORY_LIMIT || o.verdict() == Verdict.TIMEOUT, o.toString());
  }

  @Test
  void noDnsAndNoConnect() throws Exception {
    ExecutionOutcome o = attack(
        "import socket\n"
            + "try:\n    socket.getaddrinfo('example.com', 80); print('RESOLVED')\nexcept OSError:\n    pass\n"
            + "try:\n    socket.create_connection(('1.1.1.1', 53), timeout=1); print('CONNECTED')\nexcept OSError:\n    pass\n");
    assertFalse(o.stdout().contains("RESOLVED") || o.stdout().contains("CONNECTED"), o.stdout());
  }

  @Test
  void noHostSecretsOrPathsVisible() throws Exception {
    ExecutionOutcome o = attack(
        "import os\nprint(sorted(os.environ.items()))\nprint(os.path.exists('/root/.m2'), os.path.exists('/work'))\n"
            + "print(open('/etc/hostname').read())\n");
    String out = o.stdout();
    assertFalse(out.contains("QUARRY") || out.contains("DOCKER") || out.contains("JAVA"), "host environment leaked: " + out);
    assertTrue(out.contains("False False"), "host paths visible: " + out);
    for (String secret : List.of("API_KEY", "TOKEN", "SECRET", "PASSWORD")) {
      assertFalse(out.toUpperCase(java.util.Locale.ROOT).contains(secret), out);
    }
  }

  @Test
  void aBackgroundProcessDoesNotOutliveItsExecution() throws Exception {
    ExecutionOutcome o = attack(
        "import os, time\nif os.fork() == 0:\n    os.setsid()\n    time.sleep(30)\n    open('/tmp/survivor', 'w').write('x')\n"
            + "print('parent done')\n");
    assertEquals(Verdict.OK, o.verdict(), o.toString());
  }

  /*
   * KNOWN GAP (sandbox issue): programs run with the runner's uid, so one can kill the runner or
   * signal the container's init. The batch then ends without its done line and is reported as
   * an infrastructure failure, which Temporal retries without end: a hostile solution can stall
   * its candidate. The fix is to attribute a runner death to its culprit (re-run the batch's
   * programs one container each and give the culprit a verdict). Enable these two with it.
   */
  @Test
  @org.junit.jupiter.api.Disabled("known gap: runner death is not yet attributed to the program that caused it")
  void killingTheRunnerIsContained() throws Exception {
    ExecutionOutcome o = attack(
        "import os, signal\nfor pid in range(1, 400):\n    try:\n        os.kill(pid, signal.SIGKILL)\n    except OSError:\n        pass\n");
    assertTrue(o.verdict().isSolutionVerdict(), o.toString());
  }

  @Test
  @org.junit.jupiter.api.Disabled("known gap: runner death is not yet attributed to the program that caused it")
  void signalsToPid1AreContained() throws Exception {
    ExecutionOutcome o = attack(
        "import os, signal\nfor s in [signal.SIGTERM, signal.SIGINT, signal.SIGHUP]:\n"
            + "    try:\n        os.kill(1, s)\n    except OSError as e:\n        print('denied', e.errno)\n");
    assertTrue(o.verdict().isSolutionVerdict(), o.toString());
  }

  @Test
  void procAndSysProbingSeesNoHost() throws Exception {
    ExecutionOutcome o = attack(
        "import os\nprint(len([p for p in os.listdir('/proc') if p.isdigit()]))\n"
            + "try:\n    open('/proc/sysrq-trigger', 'w').write('b'); print('SYSRQ')\nexcept OSError:\n    pass\n"
            + "try:\n    open('/sys/kernel/mm/transparent_hugepage/enabled', 'w').write('never'); print('SYSWRITE')\nexcept OSError:\n    pass\n");
    assertFalse(o.stdout().contains("SYSRQ") || o.stdout().contains("SYSWRITE"), o.stdout());
    int visible = Integer.parseInt(o.stdout().lines().findFirst().orElse("999").strip());
    assertTrue(visible < 30, "host processes visible in /proc: " + visible);
  }

  @Test
  void aVeryLongLineIsCappedAsOutputLimit() throws Exception {
    assertEquals(Verdict.OUTPUT_LIMIT, attack("import sys\nsys.stdout.write('x' * (10 << 20))\n").verdict());
  }

  @Test
  void binaryAndInvalidUtf8OutputIsReportedNotFatal() throws Exception {
    ExecutionOutcome o = attack("import sys\nsys.stdout.buffer.write(bytes(range(256)) + b'\\xff\\xfe\\xc3')\n");
    assertEquals(Verdict.OK, o.verdict(), o.toString());
    assertTrue(o.stdout().contains("\uFFFD"), "invalid bytes are replaced, not fatal");
  }

  @Test
  void aGigabyteOfOutputIsCutAtTheCap() throws Exception {
    ExecutionOutcome o = attack("import sys\nb = 'y' * (1 << 20) + '\\n'\nfor _ in range(1024):\n    sys.stdout.write(b)\n");
    assertEquals(Verdict.OUTPUT_LIMIT, o.verdict());
    assertTrue(o.stdout().length() <= LIMITS.outputBytes() + 4096);
  }

  @Test
  void theHostIsUntouched() {
    assertFalse(Files.exists(Path.of("/tmp/survivor")));
    assertFalse(Files.exists(Path.of("/etc/evil")));
  }
}
