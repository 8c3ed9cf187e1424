package dev.quarry.core.sandbox;

import dev.quarry.core.config.SandboxConfig;
import java.time.Duration;

/**
 * How long one candidate's sandbox batch (M programs × T inputs in one container) may take, as the
 * start-to-close timeout of its activity, and the ceiling above which a run config is refused.
 *
 * <p>The bound follows the sandbox's own deadline (the runner re-runs executions that failed
 * through contention within a second budget as long as the parallel phase, hence twice the
 * execution phase; C++ adds one compile limit per program), computed for a worker running one
 * execution at a time: the workflow does not know how many slots the worker that picks the batch up
 * has, and one is the least. Container start and a margin for a loaded host come on top. A batch
 * that reaches it was disrupted; the attempt fails and a bounded number of retries follow.
 */
public final class SandboxBatchTimeout {
  /** Executions at once assumed for the bound: the smallest worker. */
  public static final int ASSUMED_PARALLELISM = 1;

  /** Creating, starting and attaching to a container on a busy engine. */
  static final double CONTAINER_START_SECONDS = 60;

  /** The runner's bookkeeping around each execution (fork, pipes, cleanup). */
  static final double PER_EXECUTION_SECONDS = 0.5;

  /** The runner's compile limit for one C++ program (CPP_COMPILE_SECONDS in runner.py) + 1 s. */
  static final double CPP_COMPILE_SECONDS = 31;

  /** Head-room over the computed time for a loaded host. */
  static final double MARGIN = 1.5;

  /**
   * The longest a single batch may be allowed to take. Above it a config is refused: the batch
   * holds a sandbox slot for a quarter of a day per candidate, and a worker that is alive but stuck
   * is only noticed at this timeout (heartbeats keep coming while it hangs).
   */
  public static final Duration CEILING = Duration.ofHours(6);

  /**
   * Attempts of one batch. A sandbox failure (engine down, runner disrupted, artifact disk full) is
   * infrastructure and is retried, but not forever: after this many the candidate fails with the
   * reason. With the sandbox's backoff (1 s doubling to at most 30 s) twelve attempts ride out
   * about 3.5 minutes of outage (a dockerd restart, a disk filled for a while: the chaos suite's
   * faults); four, the first choice, lost a candidate to a 20-second full disk.
   */
  public static final int MAX_ATTEMPTS = 12;

  private SandboxBatchTimeout() {}

  /** The bound for a batch of {@code programs} × {@code inputs} under {@code sandbox}'s limits. */
  public static Duration startToClose(SandboxConfig sandbox, int programs, int inputs) {
    return startToClose(
        programs,
        inputs,
        sandbox.wallSeconds(),
        sandbox.language() == Language.CPP,
        ASSUMED_PARALLELISM);
  }

  /**
   * @param programs M, the rollouts run
   * @param inputs T, the test inputs each rollout runs on
   * @param wallSeconds the per-execution wall limit
   * @param compiled whether each program is compiled first (C++)
   * @param parallelism executions at once in the container
   */
  public static Duration startToClose(
      int programs, int inputs, double wallSeconds, boolean compiled, int parallelism) {
    if (programs < 1 || inputs < 1 || !(wallSeconds > 0) || parallelism < 1) {
      throw new IllegalArgumentException(
          "programs, inputs, parallelism must be >= 1 and wallSeconds > 0; got "
              + programs
              + ", "
              + inputs
              + ", "
              + parallelism
              + ", "
              + wallSeconds);
    }
    long executions = (long) programs * inputs;
    long rounds = (executions + parallelism - 1) / parallelism;
    double run = 2 * rounds * (wallSeconds + PER_EXECUTION_SECONDS);
    double compile =
        compiled ? ((programs + parallelism - 1) / parallelism) * CPP_COMPILE_SECONDS : 0;
    double seconds = (run + compile + CONTAINER_START_SECONDS) * MARGIN;
    return Duration.ofMillis((long) Math.ceil(seconds * 1000));
  }

  /** Whether a batch of this size can finish within {@link #CEILING}. */
  public static boolean withinCeiling(SandboxConfig sandbox, int programs, int inputs) {
    return startToClose(sandbox, programs, inputs).compareTo(CEILING) <= 0;
  }
}
