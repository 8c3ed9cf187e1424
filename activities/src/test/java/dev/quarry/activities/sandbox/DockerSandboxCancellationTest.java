package dev.quarry.activities.sandbox;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import com.github.dockerjava.api.DockerClient;
import dev.quarry.core.sandbox.ExecutionBatch;
import dev.quarry.core.sandbox.ExecutionLimits;
import dev.quarry.core.sandbox.Language;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The cancellation contract: an interrupted caller gets its thread back within a second. */
class DockerSandboxCancellationTest {
  private static DockerClient client;

  @BeforeAll
  static void connect() {
    for (String noisy : List.of("org.apache.hc", "com.github.dockerjava")) {
      ((Logger) LoggerFactory.getLogger(noisy)).setLevel(Level.INFO);
    }
    client = DockerClients.connect(SandboxSettings.defaults());
  }

  @AfterAll
  static void close() throws Exception {
    client.close();
  }

  private static Set<String> sandboxContainers() {
    return client
        .listContainersCmd()
        .withShowAll(true)
        .withLabelFilter(Map.of(ContainerReaper.LABEL, "true"))
        .exec()
        .stream()
        .map(c -> c.getId())
        .collect(Collectors.toSet());
  }

  @Test
  void interruptingALongBatchRemovesItsContainerAndThrowsWithinASecond() throws Exception {
    DockerSandboxExecutor executor = new DockerSandboxExecutor(client, SandboxSettings.defaults());
    // 2 programs x 4 inputs of 5 s each, two at a time: 20 s if left alone.
    ExecutionBatch batch =
        new ExecutionBatch(
            Language.PYTHON,
            List.of("import time\ntime.sleep(5)\n", "import time\ntime.sleep(5)\nprint(1)\n"),
            List.of("1", "2", "3", "4"),
            new ExecutionLimits(6, 64, 1024));
    Set<String> before = sandboxContainers();
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    AtomicBoolean interruptStatus = new AtomicBoolean();
    Thread caller =
        new Thread(
            () -> {
              try {
                executor.run(batch);
              } catch (Throwable t) {
                thrown.set(t);
                interruptStatus.set(Thread.currentThread().isInterrupted());
              }
            });
    caller.start();
    // Wait until its container is running, so the interrupt lands mid-batch.
    String ours =
        await("the batch's container running")
            .atMost(Duration.ofSeconds(10))
            .pollInterval(Duration.ofMillis(100))
            .until(
                () ->
                    client
                        .listContainersCmd()
                        .withLabelFilter(Map.of(ContainerReaper.LABEL, "true"))
                        .exec()
                        .stream()
                        .filter(c -> !before.contains(c.getId()) && "running".equals(c.getState()))
                        .map(c -> c.getId())
                        .findFirst()
                        .orElse(null),
                Objects::nonNull);
    // The scenario, not a wait: the program has run for half a second when the interrupt comes.
    Thread.sleep(500);

    long interruptedAt = System.nanoTime();
    caller.interrupt();
    caller.join(5_000);
    long millis = (System.nanoTime() - interruptedAt) / 1_000_000;

    assertFalse(caller.isAlive(), "the executor ignored the interrupt");
    assertTrue(millis < 1_500, "took " + millis + " ms to give the thread back");
    assertInstanceOf(CancellationException.class, thrown.get(), String.valueOf(thrown.get()));
    assertTrue(interruptStatus.get(), "the interrupt status must survive for the caller");
    Set<String> left = new HashSet<>(sandboxContainers());
    assertFalse(left.contains(ours), "the cancelled batch's container is still there");
    System.out.println("cancelled in " + millis + " ms");
    assertEquals(1, executor.containersCreated(), "a cancelled batch is not re-run");
  }
}
