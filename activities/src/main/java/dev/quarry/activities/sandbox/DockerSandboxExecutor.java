package dev.quarry.activities.sandbox;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Ulimit;
import dev.quarry.core.sandbox.BatchResult;
import dev.quarry.core.sandbox.ExecutionBatch;
import dev.quarry.core.sandbox.SandboxExecutor;
import dev.quarry.core.sandbox.SandboxUnavailableException;
import java.io.ByteArrayInputStream;
import dev.quarry.core.sandbox.ExecutionOutcome;
import dev.quarry.core.sandbox.Verdict;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a batch in ONE throwaway container: the runner inside (sandbox-images/runner/runner.py)
 * executes every (program, input) with its own limits and reports JSON lines.
 *
 * <p>The container: no network, memory (no swap), pids and CPU limits, read-only root, a
 * size-capped tmpfs /tmp, a non-root uid, every capability dropped, no-new-privileges, an init
 * process that reaps orphans, no host mounts and no host environment. It is always removed.
 *
 * <p>Anything that goes wrong around the programs (engine down, image missing, container not
 * starting or lost) is a {@link SandboxUnavailableException}: retried, never a verdict.
 *
 * <p>Programs run under the runner's uid, so one can SIGKILL or SIGSTOP the runner, or write
 * lines into the container's stdout. Such a batch is <em>disrupted</em> (no done line, past its
 * deadline, or a line without the batch's secret nonce) while the engine is fine. Then every
 * execution runs again in a container of its own: the ones that finish get their verdicts, and
 * one that disrupts its own runner again gets {@link Verdict#RUNTIME_ERROR}, saying why. A hostile
 * program thus costs its candidate a few container starts, never an endless retry.
 *
 * <p>Thread-safe: concurrent batches get concurrent containers.
 */
public final class DockerSandboxExecutor implements SandboxExecutor, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DockerSandboxExecutor.class);
  private static final SecureRandom NONCES = new SecureRandom();
  private static final String ENGINE_HINT = "run scripts/ensure-docker.sh";
  private static final long ATTACH_TIMEOUT_SECONDS = 10;

  private final DockerClient client;
  private final SandboxSettings settings;
  private final String engine;
  private final boolean ownsClient;

  public DockerSandboxExecutor(DockerClient client, SandboxSettings settings) {
    this(client, settings, false);
  }

  private DockerSandboxExecutor(DockerClient client, SandboxSettings settings, boolean owns) {
    this.client = client;
    this.settings = settings;
    this.engine = DockerClients.engineAddress(settings);
    this.ownsClient = owns;
  }

  /** An executor with its own client (closed by {@link #close()}). */
  public static DockerSandboxExecutor create(SandboxSettings settings) {
    return new DockerSandboxExecutor(DockerClients.connect(settings), settings, true);
  }

  @Override
  public BatchResult run(ExecutionBatch batch) throws SandboxUnavailableException {
    try {
      return runInOneContainer(batch);
    } catch (BatchDisruptedException disrupted) {
      log.warn(
          "sandbox batch of {} disrupted ({}): running each execution alone",
          batch.size(),
          disrupted.getMessage());
      return runEachAlone(batch);
    }
  }

  /** Every execution of a disrupted batch in a container of its own, in program/input order. */
  private BatchResult runEachAlone(ExecutionBatch batch) throws SandboxUnavailableException {
    List<ExecutionOutcome> outcomes = new ArrayList<>(batch.size());
    for (int program = 0; program < batch.programs().size(); program++) {
      for (int input = 0; input < batch.inputs().size(); input++) {
        ExecutionBatch alone =
            new ExecutionBatch(
                batch.language(),
                List.of(batch.programs().get(program)),
                List.of(batch.inputs().get(input)),
                batch.limits());
        ExecutionOutcome outcome;
        try {
          ExecutionOutcome only = runInOneContainer(alone).outcomes().get(0);
          outcome =
              new ExecutionOutcome(
                  program, input, only.verdict(), only.stdout(), only.stderrTail(),
                  only.exitCode(), only.wallSeconds());
        } catch (BatchDisruptedException culprit) {
          outcome =
              new ExecutionOutcome(
                  program, input, Verdict.RUNTIME_ERROR, "",
                  "sandbox: the program disrupted its runner (" + culprit.getMessage() + ")",
                  -9, 0.0);
        }
        outcomes.add(outcome);
      }
    }
    return new BatchResult(outcomes);
  }

  private BatchResult runInOneContainer(ExecutionBatch batch)
      throws SandboxUnavailableException, BatchDisruptedException {
    String nonce = newNonce();
    byte[] request = RunnerProtocol.encodeRequest(batch, settings.parallelism(), nonce);
    Duration deadline = settings.deadline(batch);
    long started = System.nanoTime();
    String id = createContainer(batch, deadline);
    AttachedStreams streams = new AttachedStreams(maxReportBytes(batch));
    try {
      attach(id, request, streams);
      start(id);
      try {
        awaitReport(streams, deadline, started);
        BatchResult result = RunnerProtocol.decode(streams.stdout(), batch, nonce);
        log.debug(
            "batch of {} ran in {} ms",
            batch.size(),
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        return result;
      } catch (BatchDisruptedException e) {
        // Only a disruption if the engine is fine and still knows the container: if not, the
        // engine (not a program) lost the batch.
        throw new BatchDisruptedException(e.getMessage() + engineStillThere(id, streams));
      }
    } finally {
      closeQuietly(streams);
      remove(id);
    }
  }

  private static String newNonce() {
    byte[] bytes = new byte[16];
    NONCES.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  private String createContainer(ExecutionBatch batch, Duration deadline)
      throws SandboxUnavailableException {
    long memory = settings.containerMemoryBytes(batch);
    HostConfig host =
        HostConfig.newHostConfig()
            .withNetworkMode("none")
            .withMemory(memory)
            .withMemorySwap(memory)
            .withPidsLimit(settings.pidsLimit())
            .withNanoCPUs((long) (settings.cpus() * 1_000_000_000L))
            .withReadonlyRootfs(true)
            // exec: compiled languages will run binaries from /tmp.
            .withTmpFs(Map.of("/tmp", "rw,exec,nosuid,nodev,size=" + settings.tmpfsMb() + "m"))
            .withCapDrop(Capability.ALL)
            .withSecurityOpts(List.of("no-new-privileges"))
            .withUlimits(List.of(new Ulimit("nofile", 256L, 256L), new Ulimit("core", 0L, 0L)))
            // docker-init as PID 1 reaps what the programs orphan.
            .withInit(true);
    try {
      return client
          .createContainerCmd(settings.imageFor(batch.language()))
          .withName("quarry-sbx-" + UUID.randomUUID().toString().substring(0, 12))
          .withLabels(ContainerReaper.labels(Instant.now(), deadline))
          .withUser(containerUser())
          .withEnv(List.of())
          .withNetworkDisabled(true)
          .withAttachStdin(true)
          .withAttachStdout(true)
          .withAttachStderr(true)
          .withStdinOpen(true)
          .withStdInOnce(true)
          .withTty(false)
          .withHostConfig(host)
          .exec()
          .getId();
    } catch (NotFoundException e) {
      throw new SandboxUnavailableException(
          "sandbox image "
              + settings.imageFor(batch.language())
              + " not found on "
              + engine
              + ": run sandbox-images/build-image.sh "
              + batch.language().wireName(),
          e);
    } catch (RuntimeException e) {
      throw engineFailure("cannot create a sandbox container", e);
    }
  }

  private String containerUser() {
    if (!settings.user().equals(SandboxSettings.AUTO_USER)) {
      return settings.user();
    }
    int uid = ThreadLocalRandom.current().nextInt(200_000, 1_200_000);
    return uid + ":" + uid;
  }

  private void attach(String id, byte[] request, AttachedStreams streams)
      throws SandboxUnavailableException {
    try {
      client
          .attachContainerCmd(id)
          .withStdIn(new ByteArrayInputStream(request))
          .withStdOut(true)
          .withStdErr(true)
          .withFollowStream(true)
          .exec(streams);
      if (!streams.awaitAttached(ATTACH_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        throw new SandboxUnavailableException(
            "could not attach to sandbox container within " + ATTACH_TIMEOUT_SECONDS + " s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SandboxUnavailableException("interrupted while attaching to the sandbox", e);
    } catch (RuntimeException e) {
      throw engineFailure("cannot attach to the sandbox container", e);
    }
  }

  private void start(String id) throws SandboxUnavailableException {
    try {
      client.startContainerCmd(id).exec();
    } catch (RuntimeException e) {
      throw engineFailure("sandbox container failed to start", e);
    }
  }

  /** Waits until the runner closes its stdout (it exited) or the deadline passes. */
  private void awaitReport(AttachedStreams streams, Duration deadline, long started)
      throws SandboxUnavailableException, BatchDisruptedException {
    long remaining = deadline.toNanos() - (System.nanoTime() - started);
    try {
      if (!streams.awaitCompletion(Math.max(remaining, 1), TimeUnit.NANOSECONDS)) {
        throw new BatchDisruptedException(
            "sandbox batch exceeded its deadline of "
                + deadline.toSeconds()
                + " s (the runner's own limits should have ended it: stopped runner?)");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SandboxUnavailableException("interrupted while waiting for the sandbox", e);
    } catch (RuntimeException e) {
      throw engineFailure("lost the sandbox container's output stream", e);
    }
    if (streams.overflowed()) {
      throw new BatchDisruptedException(
          "more than " + streams.maxStdoutBytes() + " bytes on the runner's stdout");
    }
  }

  /**
   * What the engine knows about a disrupted batch's container, for the message; a {@link
   * SandboxUnavailableException} when the engine no longer answers or lost the container, so
   * an engine failure mid-batch is retried, never blamed on a program.
   */
  private String engineStillThere(String id, AttachedStreams streams)
      throws SandboxUnavailableException {
    StringBuilder text = new StringBuilder();
    try {
      InspectContainerResponse.ContainerState state =
          client.inspectContainerCmd(id).exec().getState();
      text.append(" [container status=").append(state.getStatus());
      text.append(", exit=").append(state.getExitCodeLong());
      if (Boolean.TRUE.equals(state.getOOMKilled())) {
        text.append(", OOM-killed");
      }
      text.append(']');
    } catch (RuntimeException e) {
      throw engineFailure("lost the sandbox container mid-batch", e);
    }
    String stderr = streams.stderrTail();
    if (!stderr.isEmpty()) {
      text.append(" runner stderr: ").append(stderr);
    }
    return text.toString();
  }

  private SandboxUnavailableException engineFailure(String what, RuntimeException e) {
    if (hasCause(e, IOException.class)) {
      return new SandboxUnavailableException(
          what + ": Docker engine unreachable at " + engine + " (" + e.getMessage() + "): "
              + ENGINE_HINT,
          e);
    }
    return new SandboxUnavailableException(what + " on " + engine + ": " + e.getMessage(), e);
  }

  private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  private void remove(String id) {
    // A cancelled activity interrupts this thread; the engine call must still go through.
    boolean interrupted = Thread.interrupted();
    try {
      client.removeContainerCmd(id).withForce(true).withRemoveVolumes(true).exec();
    } catch (NotFoundException alreadyGone) {
      // Nothing left to clean.
    } catch (RuntimeException e) {
      // The reaper removes it at the next worker start; the batch result stands.
      log.warn("could not remove sandbox container {}: {}", id, e.toString());
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * A bound on the runner's report: every execution's output at worst JSON-escaped (6 bytes a
   * byte), plus its stderr tail and fields.
   */
  private static long maxReportBytes(ExecutionBatch batch) {
    return batch.size() * (6L * batch.limits().outputBytes() + 64 * 1024) + (1 << 20);
  }

  private static void closeQuietly(AttachedStreams streams) {
    try {
      streams.close();
    } catch (IOException | RuntimeException e) {
      log.debug("closing the attach stream: {}", e.toString());
    }
  }

  @Override
  public void close() throws IOException {
    if (ownsClient) {
      client.close();
    }
  }
}
