package dev.quarry.workers.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quarry.activities.metrics.MeteredSandboxExecutor;
import dev.quarry.activities.store.FileArtifactStore;
import dev.quarry.activities.store.QuarryHome;
import dev.quarry.core.artifacts.ArtifactRef;
import dev.quarry.core.artifacts.RolloutsArtifact;
import dev.quarry.core.artifacts.SamplingRecord;
import dev.quarry.core.artifacts.TestInputsArtifact;
import dev.quarry.core.sandbox.SandboxExecutor;
import dev.quarry.workers.cli.run.StageLoadProbe;
import dev.quarry.workers.worker.PrometheusEndpoint;
import dev.quarry.workers.worker.ScriptedSandboxExecutor;
import dev.quarry.workers.worker.WorkerIdentity;
import dev.quarry.workers.worker.WorkerRuntime;
import dev.quarry.workflows.TaskQueues;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.WorkerFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code quarry run status}'s stage view on the real parts: a sandbox worker with one slot whose
 * batches are held back is seen, through the dev server's task-queue statistics and the worker's
 * Prometheus endpoint (found from its Temporal identity), as one batch in flight on one slot (busy
 * 1.00) with the rest waiting in the server's queue, not inside the worker; once released, the
 * stage drains to nothing in flight and nothing queued.
 */
class StageLoadEndToEndTest {
  @TempDir Path temp;

  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void aFullSandboxStageShowsBusySlotsAndTheBacklogOnTheServer() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    SandboxExecutor scripted = new ScriptedSandboxExecutor();
    SandboxExecutor heldBack =
        batch -> {
          try {
            release.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return scripted.run(batch);
        };
    try (TemporalDevServer temporal = TemporalDevServer.start(temp.resolve("temporal"));
        PrometheusEndpoint metrics = PrometheusEndpoint.start("127.0.0.1", 0)) {
      WorkflowServiceStubs service =
          WorkflowServiceStubs.newServiceStubs(
              WorkflowServiceStubsOptions.newBuilder().setTarget(temporal.address()).build());
      WorkflowClient client =
          WorkflowClient.newInstance(
              service,
              WorkflowClientOptions.newBuilder()
                  .setIdentity(
                      WorkerIdentity.of(ProcessHandle.current().pid(), "127.0.0.1", metrics.port()))
                  .build());
      QuarryHome home = new QuarryHome(temp.resolve("home"));
      WorkerFactory workers =
          WorkerRuntime.build(
              client,
              Set.of(TaskQueues.SANDBOX),
              home,
              new WorkerRuntime.Capacity(1, 1),
              () -> null,
              () -> new MeteredSandboxExecutor(heldBack));
      workers
          .newWorker("stage-probe")
          .registerWorkflowImplementationTypes(StageProbeWorkflow.Impl.class);
      workers.start();
      try {
        FileArtifactStore store = new FileArtifactStore(home.artifacts());
        SamplingRecord sampling = new SamplingRecord("scripted", 0, 1, 8, List.of(), 1);
        ArtifactRef rollouts =
            store.putJson(
                new RolloutsArtifact(
                    List.of("print(input())"), List.of("print(input())"), List.of(sampling)));
        ArtifactRef tests = store.putJson(new TestInputsArtifact(List.of("1\n"), "", sampling));
        List<StageProbeWorkflow> probes = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
          StageProbeWorkflow probe =
              client.newWorkflowStub(
                  StageProbeWorkflow.class,
                  WorkflowOptions.newBuilder()
                      .setTaskQueue("stage-probe")
                      .setWorkflowId("probe-" + i)
                      .build());
          WorkflowClient.start(
              probe::probe, new StageProbeWorkflow.Input("probe/" + i, rollouts, tests));
          probes.add(probe);
        }

        StageLoadProbe.Sandbox full =
            await("one batch in flight on the one slot, two waiting on the server")
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500))
                .until(
                    () -> StageLoadProbe.sandbox(service, "default"),
                    s -> s.inFlight() == 1 && s.queued() == 2);
        assertEquals(1, full.workers(), "one sandbox worker polls the queue");
        assertEquals(1, full.capacity(), "its one slot, from its own gauge");
        assertEquals(1.0, full.busyFraction());
        assertTrue(full.rendered().contains("busy 1.00"), full.rendered());
        assertTrue(full.rendered().contains("queued 2"), full.rendered());

        release.countDown();
        for (StageProbeWorkflow probe : probes) {
          assertEquals(
              1, WorkflowStub.fromTyped(probe).getResult(Integer.class), "one program, one input");
        }
        StageLoadProbe.Sandbox drained =
            await("the stage drained")
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500))
                .until(
                    () -> StageLoadProbe.sandbox(service, "default"),
                    s -> s.inFlight() == 0 && s.queued() == 0);
        assertEquals(0.0, drained.busyFraction());
      } finally {
        release.countDown();
        workers.shutdownNow();
        service.shutdownNow();
      }
    }
  }
}
