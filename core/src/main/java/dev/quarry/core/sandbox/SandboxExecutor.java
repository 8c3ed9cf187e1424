package dev.quarry.core.sandbox;

/** Runs untrusted programs in isolation. Implementations live at the edges (Docker, ...). */
public interface SandboxExecutor {
  /**
   * Runs every program on every input.
   *
   * @throws SandboxUnavailableException when the infrastructure failed (engine down, image
   *     missing, container did not start): the caller retries; it is never a verdict
   */
  BatchResult run(ExecutionBatch batch) throws SandboxUnavailableException;
}
