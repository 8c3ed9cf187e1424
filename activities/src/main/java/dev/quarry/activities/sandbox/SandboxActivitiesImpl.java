package dev.quarry.activities.sandbox;

import dev.quarry.activities.store.FileArtifactStore;
import dev.quarry.activities.support.Failures;
import dev.quarry.activities.support.Heartbeats;
import dev.quarry.core.artifacts.ExecutionArtifact;
import dev.quarry.core.artifacts.RolloutsArtifact;
import dev.quarry.core.artifacts.TestInputsArtifact;
import dev.quarry.core.config.SandboxConfig;
import dev.quarry.core.sandbox.BatchResult;
import dev.quarry.core.sandbox.ExecutionBatch;
import dev.quarry.core.sandbox.ExecutionLimits;
import dev.quarry.core.sandbox.ExecutionOutcome;
import dev.quarry.core.sandbox.SandboxExecutor;
import dev.quarry.core.sandbox.SandboxUnavailableException;
import dev.quarry.workflows.activities.ExecuteRequest;
import dev.quarry.workflows.activities.ExecutionSummary;
import dev.quarry.workflows.activities.SandboxActivities;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runs a candidate's M rollouts on its T inputs as one sandbox batch. A sandbox failure is thrown
 * for Temporal to retry; it never becomes a verdict.
 */
public final class SandboxActivitiesImpl implements SandboxActivities {
  private final SandboxExecutor executor;
  private final FileArtifactStore store;

  public SandboxActivitiesImpl(SandboxExecutor executor, FileArtifactStore store) {
    this.executor = executor;
    this.store = store;
  }

  @Override
  public ExecutionSummary execute(ExecuteRequest request) {
    try {
      RolloutsArtifact rollouts = store.getJson(request.rollouts(), RolloutsArtifact.class);
      TestInputsArtifact tests = store.getJson(request.tests(), TestInputsArtifact.class);
      SandboxConfig sandbox = request.sandbox();
      if (rollouts.programs().isEmpty()) {
        // No solver reply exists (all missing): nothing to run, and no outcome is invented;
        // scoring finds too few replies.
        var none = store.putJson(new ExecutionArtifact(List.of(), sandbox.comparison()));
        return new ExecutionSummary(none, Map.of());
      }
      ExecutionBatch batch =
          new ExecutionBatch(
              sandbox.language(),
              rollouts.programs(),
              tests.inputs(),
              new ExecutionLimits(
                  sandbox.wallSeconds(), sandbox.memoryMb(), sandbox.outputBytes()));
      BatchResult result = Heartbeats.during(request.key(), () -> run(batch, request.key()));
      Map<String, Integer> counts = new TreeMap<>();
      for (ExecutionOutcome outcome : result.outcomes()) {
        counts.merge(outcome.verdict().name(), 1, Integer::sum);
      }
      var ref = store.putJson(new ExecutionArtifact(result.outcomes(), sandbox.comparison()));
      return new ExecutionSummary(ref, counts);
    } catch (IOException e) {
      throw Failures.infrastructure("ArtifactStoreUnavailable", e.getMessage(), e);
    }
  }

  private BatchResult run(ExecutionBatch batch, String key) {
    try {
      return executor.run(batch);
    } catch (SandboxUnavailableException e) {
      throw Failures.infrastructure("SandboxUnavailable", key + ": " + e.getMessage(), e);
    } catch (UncheckedIOException e) {
      throw Failures.infrastructure("SandboxUnavailable", key + ": " + e.getMessage(), e);
    }
  }
}
