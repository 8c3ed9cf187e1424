package dev.quarry.workers.config;

/** What a sandbox worker runs programs with (QUARRY_SANDBOX_MODE). */
public enum SandboxMode {
  /** The real sandbox: each batch in a locked-down Docker container. */
  DOCKER,
  /**
   * Benchmarks of the orchestration only (scripts/scale-run.sh): no program runs, and each
   * (program, input) gets an output derived from its hash.
   */
  SCRIPTED
}
