package dev.quarry.activities.sandbox;

import dev.quarry.core.sandbox.ExecutionBatch;
import dev.quarry.core.sandbox.Language;
import java.time.Duration;
import java.util.Objects;

/**
 * How the Docker sandbox runs a batch.
 *
 * @param image the Python sandbox image (built by {@code sandbox-images/build-image.sh python})
 * @param cppImage the C++ sandbox image, g++ and the runner (built by {@code
 *     sandbox-images/build-image.sh cpp})
 * @param parallelism executions run at once inside one container
 * @param cpus CPUs the container may use (nano-CPUs on the engine side)
 * @param overheadMb container memory on top of parallelism × per-execution memory and the tmpfs:
 *     the runner itself, which holds every output until it is written
 * @param tmpfsMb size of the container's /tmp (programs are written there; it counts against the
 *     container's memory)
 * @param pidsLimit tasks (processes + threads) the whole container may have; at least {@link
 *     #minPids} so the runner can always go on while fork bombs sit at their caps
 * @param dockerHost engine address, e.g. unix:///var/run/docker.sock; null: DOCKER_HOST from the
 *     environment, else the platform default
 * @param user the first of the uids a batch's executions run under (one uid per execution and per
 *     compile, from there up; the runner itself is root in the container, out of their reach):
 *     {@link #AUTO_USER} picks a fresh random range per container (RLIMIT_NPROC counts tasks per
 *     uid across the whole host, so concurrent containers sharing uids would eat each other's
 *     process budget); or a fixed "uid" or "uid:gid" of at least {@value #MIN_UID}
 * @param slack added to every batch deadline: container start, image cache misses, a loaded host
 * @param runtime the OCI runtime the engine runs sandbox containers with: {@code runc} (the
 *     engine's default) or {@code runsc} (gVisor, registered by scripts/ensure-gvisor.sh)
 */
public record SandboxSettings(
    String image,
    String cppImage,
    int parallelism,
    double cpus,
    int overheadMb,
    int tmpfsMb,
    long pidsLimit,
    String dockerHost,
    String user,
    Duration slack,
    String runtime) {

  public static final String DEFAULT_IMAGE = "quarry-sandbox-python:protocol-2";
  public static final String DEFAULT_CPP_IMAGE = "quarry-sandbox-cpp:protocol-2";

  /** The runner's per-program compile limit for C++ (CPP_COMPILE_SECONDS in runner.py). */
  static final int CPP_COMPILE_SECONDS = 30;

  /** Extra container memory per parallel slot for C++: cc1plus on a template-heavy file. */
  static final int CPP_COMPILE_MB = 512;

  public static final String AUTO_USER = "auto";

  /** The runner refuses execution uids below this (MIN_UID_BASE in runner.py). */
  public static final int MIN_UID = 100_000;

  /** Size of the container's /dev/shm; counted in its memory like /tmp. */
  static final int SHM_MB = 16;

  public static final String RUNC = "runc";
  public static final String RUNSC = "runsc";

  public SandboxSettings {
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(cppImage, "cppImage");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(slack, "slack");
    Objects.requireNonNull(runtime, "runtime");
    if (!runtime.equals(RUNC) && !runtime.equals(RUNSC)) {
      throw new IllegalArgumentException(
          "sandbox runtime must be runc or runsc (gVisor), got '" + runtime + "'");
    }
    if (parallelism < 1) {
      throw new IllegalArgumentException("parallelism must be >= 1, got " + parallelism);
    }
    if (!(cpus > 0)) {
      throw new IllegalArgumentException("cpus must be > 0, got " + cpus);
    }
    if (overheadMb < 32 || tmpfsMb < 8) {
      throw new IllegalArgumentException("overheadMb must be >= 32 and tmpfsMb >= 8");
    }
    long minPids = minPids(parallelism);
    if (pidsLimit < minPids) {
      throw new IllegalArgumentException(
          "pidsLimit must be >= " + minPids + " for parallelism " + parallelism);
    }
    if (!user.equals(AUTO_USER) && firstUid(user) < MIN_UID) {
      throw new IllegalArgumentException(
          "sandbox user must be 'auto' or a uid >= "
              + MIN_UID
              + " (programs never run as a"
              + " uid that owns anything in the image), got '"
              + user
              + "'");
    }
  }

  /** Two executions at a time, two CPUs: the sizing of a small worker. */
  public static SandboxSettings defaults() {
    return new SandboxSettings(
        DEFAULT_IMAGE,
        DEFAULT_CPP_IMAGE,
        2,
        2.0,
        128,
        64,
        64,
        null,
        AUTO_USER,
        Duration.ofSeconds(20),
        RUNC);
  }

  /**
   * Every slot's execution at its own uid's task cap (2 + EXTRA_PROCESSES in runner.py), plus the
   * runner's threads, its clean-up children and PID 1: a fork bomb in every slot at once still
   * leaves the runner room to go on.
   */
  static long minPids(int parallelism) {
    return 8L + 18L * parallelism;
  }

  private static long firstUid(String user) {
    try {
      return Long.parseLong(user.contains(":") ? user.substring(0, user.indexOf(':')) : user);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** The first execution uid for a fixed {@link #user}. */
  int fixedUidBase() {
    return (int) firstUid(user);
  }

  public SandboxSettings withRuntime(String newRuntime) {
    return new SandboxSettings(
        image,
        cppImage,
        parallelism,
        cpus,
        overheadMb,
        tmpfsMb,
        pidsLimit,
        dockerHost,
        user,
        slack,
        newRuntime);
  }

  public SandboxSettings withUser(String newUser) {
    return new SandboxSettings(
        image,
        cppImage,
        parallelism,
        cpus,
        overheadMb,
        tmpfsMb,
        pidsLimit,
        dockerHost,
        newUser,
        slack,
        runtime);
  }

  /** The image that runs {@code language}'s programs. */
  public String imageFor(Language language) {
    return language == Language.CPP ? cppImage : image;
  }

  public SandboxSettings withImage(String newImage) {
    return new SandboxSettings(
        newImage,
        cppImage,
        parallelism,
        cpus,
        overheadMb,
        tmpfsMb,
        pidsLimit,
        dockerHost,
        user,
        slack,
        runtime);
  }

  public SandboxSettings withCppImage(String newCppImage) {
    return new SandboxSettings(
        image,
        newCppImage,
        parallelism,
        cpus,
        overheadMb,
        tmpfsMb,
        pidsLimit,
        dockerHost,
        user,
        slack,
        runtime);
  }

  public SandboxSettings withDockerHost(String newDockerHost) {
    return new SandboxSettings(
        image,
        cppImage,
        parallelism,
        cpus,
        overheadMb,
        tmpfsMb,
        pidsLimit,
        newDockerHost,
        user,
        slack,
        runtime);
  }

  public SandboxSettings withParallelism(int newParallelism) {
    long pids = Math.max(pidsLimit, minPids(newParallelism));
    return new SandboxSettings(
        image,
        cppImage,
        newParallelism,
        cpus,
        overheadMb,
        tmpfsMb,
        pids,
        dockerHost,
        user,
        slack,
        runtime);
  }

  /** Memory (and memory+swap: no swap) of the container that runs {@code batch}. */
  public long containerMemoryBytes(ExecutionBatch batch) {
    long perSlot = batch.limits().memoryMb();
    if (batch.language() == Language.CPP) {
      perSlot = Math.max(perSlot, CPP_COMPILE_MB);
    }
    // /tmp and /dev/shm are tmpfs: what programs write there is memory of the container.
    long mb = perSlot * parallelism + tmpfsMb + SHM_MB + overheadMb;
    return mb << 20;
  }

  /**
   * When to give up on a batch. The runner enforces every execution's wall limit itself, and may
   * re-run executions that failed through contention with a neighbour, within a second budget as
   * long as the parallel phase: hence twice the parallel phase, plus slack. Reaching it means the
   * runner was disrupted (see {@link DockerSandboxExecutor}). C++ adds the compile phase: one
   * compile limit per program per slot.
   */
  public Duration deadline(ExecutionBatch batch) {
    long rounds = (batch.size() + parallelism - 1) / parallelism;
    double perRound = batch.limits().wallSeconds() + 0.5;
    long compileMillis = 0;
    if (batch.language() == Language.CPP) {
      long compileRounds = (batch.programs().size() + parallelism - 1) / parallelism;
      compileMillis = compileRounds * (CPP_COMPILE_SECONDS + 1) * 1000L;
    }
    return Duration.ofMillis((long) (2 * rounds * perRound * 1000) + compileMillis).plus(slack);
  }
}
