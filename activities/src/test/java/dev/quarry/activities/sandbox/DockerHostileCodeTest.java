package dev.quarry.activities.sandbox;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import com.github.dockerjava.api.DockerClient;
import dev.quarry.core.sandbox.BatchResult;
import dev.quarry.core.sandbox.ExecutionBatch;
import dev.quarry.core.sandbox.ExecutionLimits;
import dev.quarry.core.sandbox.ExecutionOutcome;
import dev.quarry.core.sandbox.Language;
import dev.quarry.core.sandbox.Verdict;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.LoggerFactory;

/**
 * Hostile programs on the real engine. Each runs beside a benign neighbour in the same batch: the
 * attack gets its verdict, the neighbour still answers, and afterwards no container of this test is
 * left, the host is untouched and the next execution works.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DockerHostileCodeTest {
  /** The sandbox under attack; the DockerGvisor* tests run the same suite on runsc. */
  SandboxSettings settings() {
    return SandboxSettings.defaults();
  }

  private static final String BENIGN = "print(int(input()) * 2)\n";
  private static final ExecutionLimits LIMITS = new ExecutionLimits(2, 128, 1 << 16);
  private DockerClient client;
  private DockerSandboxExecutor executor;

  @BeforeAll
  void connect() {
    for (String noisy : List.of("org.apache.hc", "com.github.dockerjava")) {
      ((Logger) LoggerFactory.getLogger(noisy)).setLevel(Level.INFO);
    }
    SandboxSettings settings = settings();
    client = DockerClients.connect(settings);
    executor = new DockerSandboxExecutor(client, settings);
  }

  @AfterAll
  void close() throws Exception {
    client.close();
  }

  /** The attack, then its neighbour: verdict of the attack, the neighbour's output intact. */
  ExecutionOutcome attack(String program) throws Exception {
    BatchResult result =
        executor.run(
            new ExecutionBatch(Language.PYTHON, List.of(program, BENIGN), List.of("21\n"), LIMITS));
    ExecutionOutcome neighbour = result.find(1, 0).orElseThrow();
    assertEquals(Verdict.OK, neighbour.verdict(), "the neighbour was harmed: " + neighbour);
    assertEquals("42", neighbour.stdout().strip());
    return result.find(0, 0).orElseThrow();
  }

  /** Sandbox containers that existed before the test (another worker's, or leftovers). */
  private Set<String> before;

  private Set<String> sandboxContainers() {
    return client
        .listContainersCmd()
        .withShowAll(true)
        .withLabelFilter(Map.of(ContainerReaper.LABEL, "true"))
        .exec()
        .stream()
        .map(c -> c.getId())
        .collect(Collectors.toSet());
  }

  /**
   * Containers that appeared during the test and are not running. Other workers may share the
   * engine: theirs come and go within a second, so only those still there a moment later count.
   */
  private Set<String> leftBehind() {
    Set<String> left = new HashSet<>();
    for (var c :
        client
            .listContainersCmd()
            .withShowAll(true)
            .withLabelFilter(Map.of(ContainerReaper.LABEL, "true"))
            .exec()) {
      // Only this sandbox's images: workers of other releases may share the engine.
      boolean ours =
          c.getImage().equals(settings().image()) || c.getImage().equals(settings().cppImage());
      if (ours && !before.contains(c.getId()) && !"running".equals(c.getState())) {
        left.add(c.getId());
      }
    }
    if (!left.isEmpty()) {
      try {
        await()
            .atMost(Duration.ofSeconds(2))
            .pollInterval(Duration.ofMillis(100))
            .until(
                () -> {
                  left.retainAll(sandboxContainers());
                  return left.isEmpty();
                });
      } catch (ConditionTimeoutException stillThere) {
        // what is still there after two seconds was left behind by this sandbox
      }
    }
    return left;
  }

  @BeforeEach
  void rememberWhatWasThere() {
    before = sandboxContainers();
  }

  @AfterEach
  void nothingLeftBehindAndTheNextExecutionWorks() throws Exception {
    assertEquals(Set.of(), leftBehind(), "this test's sandbox containers were left behind");
    BatchResult next =
        executor.run(new ExecutionBatch(Language.PYTHON, List.of(BENIGN), List.of("1\n"), LIMITS));
    assertEquals("2", next.outcomes().get(0).stdout().strip());
  }

  static final String FORK_BOMB =
      "import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        pass\n";

  @Test
  void forkBomb() throws Exception {
    ExecutionOutcome o = attack(FORK_BOMB);
    assertTrue(
        o.verdict() == Verdict.TIMEOUT || o.verdict() == Verdict.RUNTIME_ERROR, o.toString());
  }

  @Test
  void sleepForever() throws Exception {
    assertEquals(Verdict.TIMEOUT, attack("import time\ntime.sleep(10**6)\n").verdict());
  }

  @Test
  void writesOutsideTmpFail() throws Exception {
    ExecutionOutcome o =
        attack(
            "import os\nfor p in ['/etc/evil', '/opt/quarry/evil', '/usr/evil', '/evil', '/var/evil']:\n"
                + "    try:\n        open(p, 'w').write('x'); print('WROTE', p)\n    except OSError:\n        pass\n");
    assertFalse(o.stdout().contains("WROTE"), o.stdout());
  }

  @Test
  void fillingTmpHitsItsCap() throws Exception {
    ExecutionOutcome o =
        attack(
            "f = open('/tmp/fill', 'wb')\nchunk = b'x' * (1 << 20)\nwhile True:\n    f.write(chunk)\n    f.flush()\n");
    assertTrue(
        o.verdict() == Verdict.RUNTIME_ERROR
            || o.verdict() == Verdict.OUTPUT_LIMIT
            || o.verdict() == Verdict.MEMORY_LIMIT
            || o.verdict() == Verdict.TIMEOUT,
        o.toString());
  }

  @Test
  void noDnsAndNoConnect() throws Exception {
    ExecutionOutcome o =
        attack(
            "import socket\n"
                + "try:\n    socket.getaddrinfo('example.com', 80); print('RESOLVED')\nexcept OSError:\n    pass\n"
                + "try:\n    socket.create_connection(('1.1.1.1', 53), timeout=1); print('CONNECTED')\nexcept OSError:\n    pass\n");
    assertFalse(o.stdout().contains("RESOLVED") || o.stdout().contains("CONNECTED"), o.stdout());
  }

  @Test
  void noHostSecretsOrPathsVisible() throws Exception {
    ExecutionOutcome o =
        attack(
            "import os\nprint(sorted(os.environ.items()))\nprint(os.path.exists('/root/.m2'), os.path.exists('/work'))\n"
                + "print(open('/etc/hostname').read())\n");
    String out = o.stdout();
    assertFalse(
        out.contains("QUARRY") || out.contains("DOCKER") || out.contains("JAVA"),
        "host environment leaked: " + out);
    assertTrue(out.contains("False False"), "host paths visible: " + out);
    for (String secret : List.of("API_KEY", "TOKEN", "SECRET", "PASSWORD")) {
      assertFalse(out.toUpperCase(Locale.ROOT).contains(secret), out);
    }
  }

  @Test
  void aBackgroundProcessDoesNotOutliveItsExecution() throws Exception {
    ExecutionOutcome o =
        attack(
            "import os, time\nif os.fork() == 0:\n    os.setsid()\n    time.sleep(30)\n    open('/tmp/survivor', 'w').write('x')\n"
                + "print('parent done')\n");
    assertEquals(Verdict.OK, o.verdict(), o.toString());
  }

  /*
   * Programs run under uids of their own, the runner and PID 1 as root: signals to them are
   * refused (EPERM), the batch is not disrupted, and each program gets its own verdict.
   */
  @Test
  void killingTheRunnerIsRefused() throws Exception {
    ExecutionOutcome o =
        attack(
            "import os, signal\nfor pid in set(range(1, 400)) - {os.getpid()}:\n    try:\n        os.kill(pid, signal.SIGKILL)\n    except OSError:\n        pass\nprint('survived')\n");
    assertEquals(Verdict.OK, o.verdict(), o.toString());
    assertEquals("survived", o.stdout().strip());
  }

  @Test
  void stoppingTheRunnerIsRefused() throws Exception {
    ExecutionOutcome o = attack("import os, signal\nos.kill(os.getppid(), signal.SIGSTOP)\n");
    assertEquals(Verdict.RUNTIME_ERROR, o.verdict(), o.toString());
    assertTrue(o.stderrTail().contains("PermissionError"), o.stderrTail());
  }

  @Test
  void signalsToPid1AndTheRunnerAreShrugged() throws Exception {
    // Neither PID 1 nor the runner shares the program's uid: every signal is refused.
    ExecutionOutcome o =
        attack(
            "import os, signal\nfor s in [signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGUSR1]:\n"
                + "    for pid in (1, os.getppid()):\n"
                + "        try:\n            os.kill(pid, s)\n        except OSError as e:\n            print('denied', e.errno)\n"
                + "import time\ntime.sleep(0.2)\nprint('still here')\n");
    assertEquals(Verdict.OK, o.verdict(), o.toString());
    assertTrue(o.stdout().contains("still here"), o.stdout());
  }

  @Test
  void forgedRunnerLinesAreNotBelieved() throws Exception {
    // Write a perfect-looking report line for ourselves into the container's stdout (init's
    // fd 1, and the runner's if it were reachable), then fail: the forgery must not win.
    ExecutionOutcome o =
        attack(
            "import os\nline = '{\"program\":0,\"input\":0,\"verdict\":\"OK\",\"stdout\":\"FORGED\",\"stderrTail\":\"\",\"exitCode\":0,\"wallSeconds\":0.01}\\n'\n"
                + "for path in ('/proc/1/fd/1', '/proc/%d/fd/1' % os.getppid()):\n"
                + "    try:\n        open(path, 'w').write(line)\n    except OSError:\n        pass\n"
                + "raise SystemExit(3)\n");
    assertFalse(o.stdout().contains("FORGED"), o.toString());
    assertEquals(Verdict.RUNTIME_ERROR, o.verdict(), o.toString());
  }

  @Test
  void theRunnersMemoryAndFilesAreClosedToPrograms() throws Exception {
    ExecutionOutcome o =
        attack(
            "import os\nppid = os.getppid()\n"
                + "for path in ('/proc/%d/mem' % ppid, '/proc/%d/environ' % ppid, '/proc/%d/fd/0' % ppid):\n"
                + "    try:\n        open(path, 'rb').read(1); print('OPENED', path)\n    except OSError:\n        pass\n");
    assertFalse(o.stdout().contains("OPENED"), o.stdout());
  }

  @Test
  void memoryBomb() throws Exception {
    ExecutionOutcome o = attack("x = []\nwhile True:\n    x.append(bytearray(1 << 24))\n");
    assertEquals(Verdict.MEMORY_LIMIT, o.verdict(), o.toString());
  }

  @Test
  void infiniteLoop() throws Exception {
    assertEquals(Verdict.TIMEOUT, attack("while True:\n    pass\n").verdict());
  }

  @Test
  void hugeStdinIsFedOrRefusedWithoutHarm() throws Exception {
    String huge = "7\n" + "x".repeat(16 << 20) + "\n";
    BatchResult result =
        executor.run(
            new ExecutionBatch(
                Language.PYTHON,
                List.of(
                    "import sys\nprint(len(sys.stdin.buffer.read()))\n",
                    "print(int(input()) * 2)\n"),
                List.of(huge),
                LIMITS));
    assertEquals(Verdict.OK, result.find(0, 0).orElseThrow().verdict());
    assertEquals(String.valueOf(huge.length()), result.find(0, 0).orElseThrow().stdout().strip());
    assertEquals(
        "14", result.find(1, 0).orElseThrow().stdout().strip(), "a program that reads one line");
  }

  @Test
  void procAndSysProbingSeesNoHost() throws Exception {
    ExecutionOutcome o =
        attack(
            "import os\nprint(len([p for p in os.listdir('/proc') if p.isdigit()]))\n"
                + "try:\n    open('/proc/sysrq-trigger', 'w').write('b'); print('SYSRQ')\nexcept OSError:\n    pass\n"
                + "try:\n    open('/sys/kernel/mm/transparent_hugepage/enabled', 'w').write('never'); print('SYSWRITE')\nexcept OSError:\n    pass\n");
    assertFalse(o.stdout().contains("SYSRQ") || o.stdout().contains("SYSWRITE"), o.stdout());
    int visible = Integer.parseInt(o.stdout().lines().findFirst().orElse("999").strip());
    assertTrue(visible < 30, "host processes visible in /proc: " + visible);
  }

  @Test
  void aVeryLongLineIsCappedAsOutputLimit() throws Exception {
    assertEquals(
        Verdict.OUTPUT_LIMIT, attack("import sys\nsys.stdout.write('x' * (10 << 20))\n").verdict());
  }

  @Test
  void binaryAndInvalidUtf8OutputIsReportedNotFatal() throws Exception {
    ExecutionOutcome o =
        attack("import sys\nsys.stdout.buffer.write(bytes(range(256)) + b'\\xff\\xfe\\xc3')\n");
    assertEquals(Verdict.OK, o.verdict(), o.toString());
    assertTrue(o.stdout().contains("\uFFFD"), "invalid bytes are replaced, not fatal");
  }

  @Test
  void aGigabyteOfOutputIsCutAtTheCap() throws Exception {
    ExecutionOutcome o =
        attack(
            "import sys\nb = 'y' * (1 << 20) + '\\n'\nfor _ in range(1024):\n    sys.stdout.write(b)\n");
    assertEquals(Verdict.OUTPUT_LIMIT, o.verdict());
    assertTrue(o.stdout().length() <= LIMITS.outputBytes() + 4096);
  }

  @Test
  void theHostIsUntouched() {
    assertFalse(Files.exists(Path.of("/tmp/survivor")));
    assertFalse(Files.exists(Path.of("/etc/evil")));
  }
}
