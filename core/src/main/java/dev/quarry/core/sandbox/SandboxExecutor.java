package dev.quarry.core.sandbox;

/** Runs untrusted programs in isolation. Implementations live at the edges (Docker, ...). */
public interface SandboxExecutor {
  /**
   * Runs every program on every input.
   *
   * @throws SandboxUnavailableException when the infrastructure failed (engine down, image missing,
   *     container did not start): the caller retries; it is never a verdict
   * @throws java.util.concurrent.CancellationException when the calling thread was interrupted: the
   *     batch is stopped and its resources released promptly (about a second), and the thread's
   *     interrupt status is set again
   */
  BatchResult run(ExecutionBatch batch) throws SandboxUnavailableException;
}
