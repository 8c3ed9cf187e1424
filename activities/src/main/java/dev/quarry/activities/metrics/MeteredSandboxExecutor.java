package dev.quarry.activities.metrics;

import dev.quarry.core.sandbox.BatchResult;
import dev.quarry.core.sandbox.ExecutionBatch;
import dev.quarry.core.sandbox.ExecutionOutcome;
import dev.quarry.core.sandbox.SandboxExecutor;
import dev.quarry.core.sandbox.SandboxUnavailableException;
import java.time.Duration;

/** Counts verdicts, times batches and tracks busy sandbox slots around any executor. */
public final class MeteredSandboxExecutor implements SandboxExecutor {
  private final SandboxExecutor delegate;

  public MeteredSandboxExecutor(SandboxExecutor delegate) {
    this.delegate = delegate;
  }

  @Override
  public BatchResult run(ExecutionBatch batch) throws SandboxUnavailableException {
    long started = System.nanoTime();
    String language = batch.language().wireName();
    String outcome = "error";
    QuarryMeters.sandboxStarted();
    try {
      BatchResult result = delegate.run(batch);
      outcome = "ok";
      for (ExecutionOutcome execution : result.outcomes()) {
        QuarryMeters.execution(execution.verdict().name(), language);
      }
      return result;
    } catch (SandboxUnavailableException e) {
      // Infrastructure, retried by Temporal: counted apart from every solution verdict.
      outcome = "unavailable";
      throw e;
    } finally {
      Duration took = Duration.ofNanos(System.nanoTime() - started);
      QuarryMeters.sandboxEnded(took);
      QuarryMeters.sandboxBatch(took, outcome);
    }
  }
}
