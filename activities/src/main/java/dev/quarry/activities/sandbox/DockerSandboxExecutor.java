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
import dev.quarry.core.sandbox.Verdict;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a batch in ONE throwaway container: the runner inside (sandbox-images/runner/runner.py)
 * executes every (program, input) with its own limits and reports JSON lines.
 *
 * <p>The container: no network, memory (no swap), pids and CPU limits, read-only root, size-capped
 * tmpfs /tmp and /dev/shm counted in its memory, Quarry's seccomp profile ({@link SeccompProfile}),
 * no-new-privileges, an init process that reaps orphans, no host mounts and no host environment,
 * optionally the gVisor runtime. It is always removed.
 *
 * <p>Inside, the runner and PID 1 are root with only the capabilities the runner needs to put each
 * execution under a uid of its own and clean up after it (see {@link #RUNNER_CAPABILITIES});
 * programs hold none. docs/sandbox.md is the threat model.
 *
 * <p>Anything that goes wrong around the programs (engine down, image missing, container not
 * starting or lost) is a {@link SandboxUnavailableException}: retried, never a verdict.
 *
 * <p>A batch whose report is missing, incomplete, late or not the runner's own is
 * <em>disrupted</em> while the engine is fine: {@link CulpritFinder} re-runs it with one container
 * per program, and a program that disrupts its own container again gets {@link
 * Verdict#SANDBOX_VIOLATION}. At most one extra container per program, never an endless retry.
 *
 * <p>Cancellation: interrupting the calling thread stops the batch at once: its container is
 * removed and {@link CancellationException} is thrown, with the thread's interrupt status set.
 *
 * <p>Thread-safe: concurrent batches get concurrent containers.
 */
public final class DockerSandboxExecutor implements SandboxExecutor, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DockerSandboxExecutor.class);
  private static final SecureRandom NONCES = new SecureRandom();
  private static final String ENGINE_HINT = "run scripts/ensure-docker.sh";
  private static final long ATTACH_TIMEOUT_SECONDS = 10;

  /**
   * What the runner (root in the container) needs, and nothing else: SETUID/SETGID to start each
   * execution under its own uid, CHOWN to hand it its scratch directory and its program's group the
   * code, DAC_OVERRIDE to read a compiled binary and remove what an execution left behind, KILL to
   * end every process of an execution's uid. All are in the engine's default set; a program loses
   * them all when the runner sets its uid, and no-new-privileges keeps it so.
   */
  static final List<Capability> RUNNER_CAPABILITIES =
      List.of(
          Capability.SETUID,
          Capability.SETGID,
          Capability.CHOWN,
          Capability.DAC_OVERRIDE,
          Capability.KILL);

  /** The runner's exit status when it refuses a request (runner.py: fail). */
  static final long RUNNER_REFUSED = 2;

  /** How runner.py's fail() starts its one stderr line. */
  static final String RUNNER_REFUSAL_PREFIX = "runner: ";

  /**
   * gVisor's own Sentry and Gofer threads run inside the container's pids cgroup: on top of the
   * limit the programs need, or no container starts (measured: 256 too few, 576 enough).
   */
  static final long GVISOR_EXTRA_PIDS = 1024;

  /** The image label saying which runner protocol its runner speaks (build-image.sh sets it). */
  static final String PROTOCOL_LABEL = "dev.quarry.sandbox.protocol";

  /** Version 2: the runner is root and runs every execution under uidBase + its index. */
  static final String PROTOCOL = "2";

  /** Execution uids are drawn from [MIN_UID, MAX_UID_BASE) per container, far apart. */
  private static final int MAX_UID_BASE = 1_000_000_000;

  private final DockerClient client;
  private final SandboxSettings settings;
  private final String engine;
  private final boolean ownsClient;
  private final Map<String, Boolean> checkedImages = new ConcurrentHashMap<>();
  private final AtomicLong containersCreated = new AtomicLong();

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
      try {
        return runInOneContainer(batch);
      } catch (BatchDisruptedException disrupted) {
        log.warn(
            "sandbox batch of {} disrupted ({}): running each program in a container of its own",
            batch.size(),
            disrupted.getMessage());
        return CulpritFinder.rerunPerProgram(batch, this::runInOneContainer);
      }
    } catch (SandboxUnavailableException e) {
      // An engine call cut short by the interrupt looks like an engine failure: it is not one.
      if (Thread.currentThread().isInterrupted()) {
        CancellationException c =
            new CancellationException(
                "sandbox batch cancelled: the calling thread was interrupted");
        c.initCause(e);
        throw c;
      }
      throw e;
    }
  }

  /** Whether the engine knows this executor's runtime (runc always; runsc once registered). */
  public boolean runtimeAvailable() {
    if (settings.runtime().equals(SandboxSettings.RUNC)) {
      return true;
    }
    Map<String, ?> runtimes = client.infoCmd().exec().getRuntimes();
    return runtimes != null && runtimes.containsKey(settings.runtime());
  }

  /** Containers this executor has created (a disrupted batch's re-runs included). */
  public long containersCreated() {
    return containersCreated.get();
  }

  private BatchResult runInOneContainer(ExecutionBatch batch)
      throws SandboxUnavailableException, BatchDisruptedException {
    checkCancelled();
    requireCurrentRunner(settings.imageFor(batch.language()));
    String nonce = newNonce();
    byte[] request =
        RunnerProtocol.encodeRequest(batch, settings.parallelism(), nonce, uidBase(batch));
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
      remove(id); // also when cancelled: remove() keeps the interrupt from the engine call
    }
  }

  private static void checkCancelled() {
    if (Thread.currentThread().isInterrupted()) {
      throw new CancellationException(
          "sandbox batch cancelled: the calling thread was interrupted");
    }
  }

  private static CancellationException cancelled(InterruptedException e) {
    Thread.currentThread().interrupt();
    CancellationException c =
        new CancellationException("sandbox batch cancelled: the calling thread was interrupted");
    c.initCause(e);
    return c;
  }

  /**
   * Refuses an image whose runner predates protocol {@value #PROTOCOL}: an older runner would run
   * every program as root in a container that holds {@link #RUNNER_CAPABILITIES}.
   */
  private void requireCurrentRunner(String image) throws SandboxUnavailableException {
    if (checkedImages.containsKey(image)) {
      return;
    }
    String protocol;
    try {
      Map<String, String> labels = client.inspectImageCmd(image).exec().getConfig().getLabels();
      protocol = labels == null ? null : labels.get(PROTOCOL_LABEL);
    } catch (NotFoundException e) {
      throw new SandboxUnavailableException(
          "sandbox image "
              + image
              + " not found on "
              + engine
              + ": run sandbox-images/build-image.sh",
          e);
    } catch (RuntimeException e) {
      throw engineFailure("cannot inspect the sandbox image " + image, e);
    }
    if (!PROTOCOL.equals(protocol)) {
      throw new SandboxUnavailableException(
          "sandbox image "
              + image
              + " has runner protocol "
              + protocol
              + ", this worker needs "
              + PROTOCOL
              + ": rebuild it with sandbox-images/build-image.sh");
    }
    checkedImages.put(image, Boolean.TRUE);
  }

  /**
   * The first execution uid of a container: fixed by the settings, or random and far from other
   * containers' ranges (RLIMIT_NPROC counts a uid's tasks across the whole host).
   */
  private int uidBase(ExecutionBatch batch) {
    if (!settings.user().equals(SandboxSettings.AUTO_USER)) {
      return settings.fixedUidBase();
    }
    int needed = batch.size() + batch.programs().size();
    return ThreadLocalRandom.current().nextInt(SandboxSettings.MIN_UID, MAX_UID_BASE - needed);
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
            .withPidsLimit(
                settings.pidsLimit()
                    + (settings.runtime().equals(SandboxSettings.RUNSC) ? GVISOR_EXTRA_PIDS : 0))
            .withNanoCPUs((long) (settings.cpus() * 1_000_000_000L))
            .withReadonlyRootfs(true)
            // exec: compiled languages run binaries from /tmp.
            .withTmpFs(
                Map.of("/tmp", "rw,exec,nosuid,nodev,mode=1777,size=" + settings.tmpfsMb() + "m"))
            .withShmSize((long) SandboxSettings.SHM_MB << 20)
            .withIpcMode("private")
            .withCapDrop(Capability.ALL)
            .withCapAdd(RUNNER_CAPABILITIES.toArray(Capability[]::new))
            .withSecurityOpts(
                List.of("no-new-privileges", SeccompProfile.securityOpt(settings.runtime())))
            .withUlimits(List.of(new Ulimit("nofile", 256L, 256L), new Ulimit("core", 0L, 0L)))
            // docker-init as PID 1 reaps what the programs orphan.
            .withInit(true);
    if (!settings.runtime().equals(SandboxSettings.RUNC)) {
      host.withRuntime(settings.runtime());
    }
    containersCreated.incrementAndGet();
    try {
      return client
          .createContainerCmd(settings.imageFor(batch.language()))
          .withName("quarry-sbx-" + UUID.randomUUID().toString().substring(0, 12))
          .withLabels(ContainerReaper.labels(Instant.now(), deadline))
          // Root with RUNNER_CAPABILITIES only: out of the programs' reach (they run as other
          // uids); never root on the host's side of the kernel's checks, and no-new-privileges.
          .withUser("0:0")
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
      throw cancelled(e);
    } catch (RuntimeException e) {
      throw engineFailure("cannot attach to the sandbox container", e);
    }
  }

  private void start(String id) throws SandboxUnavailableException {
    checkCancelled();
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
      throw cancelled(e);
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
   * SandboxUnavailableException} when the engine no longer answers or lost the container, so an
   * engine failure mid-batch is retried, never blamed on a program.
   */
  private String engineStillThere(String id, AttachedStreams streams)
      throws SandboxUnavailableException {
    StringBuilder text = new StringBuilder();
    try {
      InspectContainerResponse.ContainerState state =
          client.inspectContainerCmd(id).exec().getState();
      if (Long.valueOf(RUNNER_REFUSED).equals(state.getExitCodeLong())
          && streams.stderrTail().contains(RUNNER_REFUSAL_PREFIX)) {
        // The runner's own refusal (fail() in runner.py), before any program ran: the image or
        // the engine is wrong, not a program. Retried as such, never anyone's verdict. Only
        // with its message: exit 2 alone is also how a Go program dies (gVisor's Sentry when a
        // program starves it), which is a disruption that the culprit search attributes.
        throw new SandboxUnavailableException(
            "the sandbox runner refused the batch (exit "
                + RUNNER_REFUSED
                + ") on "
                + engine
                + ": "
                + streams.stderrTail());
      }
      if ("removing".equals(state.getStatus()) || "dead".equals(state.getStatus())) {
        // Removed from outside (an operator, another tool) while it ran: no program can do that.
        throw new SandboxUnavailableException(
            "the sandbox container was removed from outside mid-batch on "
                + engine
                + " (status "
                + state.getStatus()
                + ")");
      }
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
          what
              + ": Docker engine unreachable at "
              + engine
              + " ("
              + e.getMessage()
              + "): "
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
    // A cancelled activity interrupts this thread; the engine call must still go through, or the
    // container stays. The interrupt is restored for the caller afterwards.
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
