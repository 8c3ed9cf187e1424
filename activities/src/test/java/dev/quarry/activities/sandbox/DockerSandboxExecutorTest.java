package dev.quarry.activities.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import dev.quarry.core.sandbox.BatchResult;
import dev.quarry.core.sandbox.ExecutionBatch;
import dev.quarry.core.sandbox.ExecutionLimits;
import dev.quarry.core.sandbox.ExecutionOutcome;
import dev.quarry.core.sandbox.Language;
import dev.quarry.core.sandbox.SandboxUnavailableException;
import dev.quarry.core.sandbox.Verdict;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Against the real engine and the real image. No skipping: a sandbox that cannot be tested is a
 * failure, with what to run to fix it.
 */
class DockerSandboxExecutorTest {
  private static final ExecutionLimits LIMITS = new ExecutionLimits(2.0, 128, 64 * 1024);

  private static DockerClient client;
  private static DockerSandboxExecutor executor;

  @BeforeAll
  static void engineAndImage() {
    // Without a logback config the root level is DEBUG, and httpclient5 would log every byte
    // on the wire: that, not the sandbox, would dominate the timings.
    for (String noisy : List.of("org.apache.hc", "com.github.dockerjava")) {
      ((Logger) LoggerFactory.getLogger(noisy)).setLevel(Level.INFO);
    }
    SandboxSettings settings = SandboxSettings.defaults();
    client = DockerClients.connect(settings);
    try {
      client.pingCmd().exec();
    } catch (RuntimeException e) {
      fail(
          "Docker engine not reachable at "
              + DockerClients.engineAddress(settings)
              + " ("
              + e.getMessage()
              + "): run scripts/ensure-docker.sh");
    }
    try {
      client.inspectImageCmd(settings.image()).exec();
    } catch (NotFoundException e) {
      fail("image " + settings.image() + " not found: run sandbox-images/build-image.sh python");
    }
    // Only abandoned leftovers: another worker or test run may share this engine.
    ContainerReaper.reapExpired(client, Instant.now());
    executor = new DockerSandboxExecutor(client, settings);
  }

  @AfterAll
  static void closeClient() throws Exception {
    if (client != null) {
      client.close();
    }
  }

  private static BatchResult run(List<String> programs, List<String> inputs, ExecutionLimits limits)
      throws SandboxUnavailableException {
    return executor.run(new ExecutionBatch(Language.PYTHON, programs, inputs, limits));
  }

  private static ExecutionOutcome only(BatchResult result) {
    assertEquals(1, result.outcomes().size(), result.outcomes().toString());
    return result.outcomes().get(0);
  }

  @Test
  void stdinStdoutProgramsOverSeveralInputs() throws Exception {
    String sum = "import sys\nprint(sum(map(int, sys.stdin.read().split())))\n";
    String reverse = "print(input()[::-1])\n";
    BatchResult result = run(List.of(sum, reverse), List.of("1 2 3", "40 2", "-5 5"), LIMITS);

    assertEquals(6, result.outcomes().size());
    result.outcomes().forEach(o -> assertEquals(Verdict.OK, o.verdict(), o.toString()));
    assertEquals("6\n", result.find(0, 0).orElseThrow().stdout());
    assertEquals("42\n", result.find(0, 1).orElseThrow().stdout());
    assertEquals("0\n", result.find(0, 2).orElseThrow().stdout());
    assertEquals("3 2 1\n", result.find(1, 0).orElseThrow().stdout());
    assertEquals("2 04\n", result.find(1, 1).orElseThrow().stdout());
    assertEquals(0, result.find(1, 2).orElseThrow().exitCode());
  }

  @Test
  void bigInputAndUnreadInputDoNotDeadlock() throws Exception {
    // ~8 MiB of random numbers: realistic, so barely compressible below 2-3x.
    Random random = new Random(42);
    StringBuilder text = new StringBuilder(9 << 20);
    while (text.length() < 8 << 20) {
      text.append(random.nextInt(1_000_000_000)).append(' ');
    }
    String big = text.toString();
    String echo = "import sys\ndata = sys.stdin.read()\nprint(len(data))\nprint(data[:40000])\n";
    String ignores = "print('did not read')\n";
    BatchResult result = run(List.of(echo, ignores), List.of(big), LIMITS);
    ExecutionOutcome reader = result.find(0, 0).orElseThrow();
    assertEquals(Verdict.OK, reader.verdict(), reader.stderrTail());
    assertTrue(
        reader.stdout().startsWith(big.length() + "\n" + big.substring(0, 100)),
        reader.stdout().substring(0, 40));
    assertEquals(Verdict.OK, result.find(1, 0).orElseThrow().verdict());
  }

  @Test
  void runtimeError() throws Exception {
    ExecutionOutcome o = only(run(List.of("raise ValueError('boom')"), List.of(""), LIMITS));
    assertEquals(Verdict.RUNTIME_ERROR, o.verdict());
    assertEquals(1, o.exitCode());
    assertTrue(o.stderrTail().contains("ValueError: boom"), o.stderrTail());
  }

  @Test
  void infiniteLoopTimesOutCloseToTheLimit() throws Exception {
    ExecutionLimits oneSecond = new ExecutionLimits(1.0, 128, 64 * 1024);
    long started = System.nanoTime();
    ExecutionOutcome o = only(run(List.of("while True:\n    pass\n"), List.of(""), oneSecond));
    double elapsed = (System.nanoTime() - started) / 1e9;

    assertEquals(Verdict.TIMEOUT, o.verdict());
    assertTrue(o.wallSeconds() >= 1.0 && o.wallSeconds() < 1.3, "wall " + o.wallSeconds());
    assertTrue(elapsed < 3.0, "the whole batch took " + elapsed + " s for a 1 s limit");
  }

  @Test
  void memoryBomb() throws Exception {
    String bomb = "chunks = []\nwhile True:\n    chunks.append(bytearray(1 << 20))\n";
    ExecutionOutcome o = only(run(List.of(bomb), List.of(""), LIMITS));
    assertEquals(Verdict.MEMORY_LIMIT, o.verdict(), o.toString());
  }

  @Test
  void outputFlood() throws Exception {
    ExecutionOutcome o =
        only(run(List.of("while True:\n    print('x' * 999)\n"), List.of(""), LIMITS));
    assertEquals(Verdict.OUTPUT_LIMIT, o.verdict());
    assertEquals(LIMITS.outputBytes(), o.stdout().length());
  }

  @Test
  void syntaxErrorIsACompileErrorForEveryInputAndOnlyThatProgram() throws Exception {
    BatchResult result =
        run(List.of("def f(:\n    pass\n", "print('fine')"), List.of("a", "b"), LIMITS);
    for (int input = 0; input < 2; input++) {
      ExecutionOutcome broken = result.find(0, input).orElseThrow();
      assertEquals(Verdict.COMPILE_ERROR, broken.verdict());
      assertTrue(broken.stderrTail().contains("SyntaxError"), broken.stderrTail());
      assertEquals(Verdict.OK, result.find(1, input).orElseThrow().verdict());
    }
  }

  @Test
  void noNetworkNoRootNoWritableRoot() throws Exception {
    String probe =
        String.join(
            "\n",
            "import os, socket",
            "for host in ('1.1.1.1', '172.17.0.1', '8.8.8.8'):",
            "    try:",
            "        socket.create_connection((host, 53), timeout=1).close()",
            "        print('connected', host)",
            "    except OSError:",
            "        print('blocked')",
            "print('uid', os.getuid())",
            "try:",
            "    open('/opt/quarry/x', 'w')",
            "    print('root fs writable')",
            "except OSError:",
            "    print('read-only')",
            "");
    ExecutionOutcome o = only(run(List.of(probe), List.of(""), LIMITS));
    assertEquals(Verdict.OK, o.verdict(), o.toString());
    List<String> lines = o.stdout().lines().toList();
    assertEquals(List.of("blocked", "blocked", "blocked"), lines.subList(0, 3), o.stdout());
    assertNotEquals("uid 0", lines.get(3));
    assertEquals("read-only", lines.get(4));
  }

  @Test
  void containerIsGoneAfterTheBatch() throws Exception {
    List<String> before = sandboxContainers();
    run(List.of("print(1)", "raise SystemExit(3)"), List.of("", ""), LIMITS);
    run(List.of("while True: pass"), List.of(""), new ExecutionLimits(0.3, 64, 1024));
    List<String> left = new ArrayList<>(sandboxContainers());
    left.removeAll(before);
    assertEquals(List.of(), left, "sandbox containers left behind");
  }

  @Test
  void concurrentBatchesGetTheirOwnContainers() throws Exception {
    ExecutorService threads = Executors.newFixedThreadPool(3);
    try {
      List<Future<BatchResult>> futures = new ArrayList<>();
      for (int k = 0; k < 3; k++) {
        String program = "print(int(input()) + " + k + ")";
        futures.add(threads.submit(() -> run(List.of(program), List.of("10", "20"), LIMITS)));
      }
      for (int k = 0; k < 3; k++) {
        BatchResult result = futures.get(k).get(30, TimeUnit.SECONDS);
        assertEquals((10 + k) + "\n", result.find(0, 0).orElseThrow().stdout());
        assertEquals((20 + k) + "\n", result.find(0, 1).orElseThrow().stdout());
      }
    } finally {
      threads.shutdownNow();
    }
  }

  /**
   * The runner's own refusal (here: C++ asked of the Python image) is an infrastructure error with
   * the runner's reason, retried and never a program's verdict. Told apart from a program that
   * kills its runner by the runner's message, not by the exit status alone.
   */
  @Test
  void theRunnersRefusalIsSandboxUnavailableWithItsReason() {
    SandboxSettings pythonOnly = SandboxSettings.defaults();
    var wrongImage = new DockerSandboxExecutor(client, pythonOnly.withCppImage(pythonOnly.image()));
    var e =
        assertThrows(
            SandboxUnavailableException.class,
            () ->
                wrongImage.run(
                    new ExecutionBatch(
                        Language.CPP, List.of("int main() { return 0; }"), List.of(""), LIMITS)));
    assertTrue(e.getMessage().contains("refused the batch"), e.getMessage());
    assertTrue(e.getMessage().contains("no C++ compiler"), e.getMessage());
  }

  @Test
  void missingImageIsSandboxUnavailable() {
    var missing =
        new DockerSandboxExecutor(
            client, SandboxSettings.defaults().withImage("quarry-sandbox-missing:nope"));
    var e =
        assertThrows(
            SandboxUnavailableException.class,
            () ->
                missing.run(
                    new ExecutionBatch(Language.PYTHON, List.of("print(1)"), List.of(""), LIMITS)));
    assertTrue(e.getMessage().contains("not found"), e.getMessage());
    assertTrue(e.getMessage().contains("sandbox-images/build-image.sh"), e.getMessage());
  }

  @Test
  void unreachableEngineIsSandboxUnavailable() throws Exception {
    SandboxSettings nowhere =
        SandboxSettings.defaults().withDockerHost("unix:///tmp/quarry-no-such-docker.sock");
    try (var detached = DockerSandboxExecutor.create(nowhere)) {
      var e =
          assertThrows(
              SandboxUnavailableException.class,
              () ->
                  detached.run(
                      new ExecutionBatch(
                          Language.PYTHON, List.of("print(1)"), List.of(""), LIMITS)));
      assertTrue(e.getMessage().contains("scripts/ensure-docker.sh"), e.getMessage());
    }
  }

  @Test
  void reaperRemovesOnlyContainersPastTheirDeadline() {
    Instant now = Instant.now();
    String abandoned =
        client
            .createContainerCmd(SandboxSettings.DEFAULT_IMAGE)
            .withLabels(
                ContainerReaper.labels(now.minus(Duration.ofHours(1)), Duration.ofSeconds(30)))
            .exec()
            .getId();
    String live =
        client
            .createContainerCmd(SandboxSettings.DEFAULT_IMAGE)
            .withLabels(ContainerReaper.labels(now, Duration.ofSeconds(30)))
            .exec()
            .getId();
    try {
      assertTrue(ContainerReaper.reapExpired(client, now) >= 1);
      assertTrue(
          sandboxContainers().stream().noneMatch(abandoned::equals), "leftover " + abandoned);
      assertTrue(sandboxContainers().contains(live), "another worker's live container was removed");
      // Once its deadline (plus grace) has passed, it goes too.
      ContainerReaper.reapExpired(client, now.plus(Duration.ofMinutes(5)));
      assertTrue(sandboxContainers().stream().noneMatch(live::equals), "expired " + live);
    } finally {
      if (sandboxContainers().contains(live)) {
        client.removeContainerCmd(live).withForce(true).exec();
      }
    }
  }

  /** The figure quoted in reviews: 3 trivial programs × 5 inputs, one container. */
  @Test
  void smallBatchIsFast() throws Exception {
    List<String> programs = List.of("print(input())", "print(int(input()) * 2)", "pass");
    List<String> inputs = List.of("1", "2", "3", "4", "5");
    run(programs, inputs, LIMITS); // warm-up: page cache, JIT
    long best = Long.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      long started = System.nanoTime();
      BatchResult result = run(programs, inputs, LIMITS);
      best = Math.min(best, System.nanoTime() - started);
      result.outcomes().forEach(o -> assertEquals(Verdict.OK, o.verdict(), o.toString()));
    }
    long millis = best / 1_000_000;
    System.out.println("3 programs x 5 inputs: best of 3 = " + millis + " ms");
    assertTrue(millis < 5_000, "a trivial 15-execution batch took " + millis + " ms");
  }

  private static List<String> sandboxContainers() {
    return client
        .listContainersCmd()
        .withShowAll(true)
        .withLabelFilter(Map.of(ContainerReaper.LABEL, "true"))
        .exec()
        .stream()
        .map(c -> c.getId())
        .toList();
  }
}
