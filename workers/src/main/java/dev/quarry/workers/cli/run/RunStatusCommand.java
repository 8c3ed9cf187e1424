package dev.quarry.workers.cli.run;

import dev.quarry.activities.store.Json;
import dev.quarry.core.config.TrainerBackend;
import dev.quarry.workers.config.QuarrySettings;
import dev.quarry.workers.temporal.TemporalConnection;
import dev.quarry.workflows.round.RoundProgress;
import dev.quarry.workflows.round.RoundWorkflow;
import dev.quarry.workflows.run.RunProgress;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "status", description = "Show a run's progress (a workflow query) or its result.")
public class RunStatusCommand implements Callable<Integer> {
  @Inject QuarrySettings settings;

  @Parameters(index = "0", description = "The run id (its workflow id).")
  String runId;

  @Option(names = "--json", description = "Print JSON for scripts.")
  boolean json;

  @Option(names = "--watch", description = "Refresh every 2 s until the run is no longer running.")
  boolean watch;

  private LiveStatus live(TemporalConnection temporal, String namespace) {
    RunProgress run = RunLookup.stub(temporal.client(), runId).progress();
    RoundProgress round = null;
    Instant started = null;
    if (run.currentRoundWorkflowId() != null) {
      round =
          temporal
              .client()
              .newWorkflowStub(RoundWorkflow.class, run.currentRoundWorkflowId())
              .progress();
      started = RunLookup.startTime(temporal.service(), namespace, run.currentRoundWorkflowId());
    }
    String pythonQueue =
        run.config() != null
                && run.config().trainer() != null
                && run.config().trainer().python() != null
                && run.config().trainer().backend() == TrainerBackend.PYTHON
            ? run.config().trainer().python().taskQueue()
            : null;
    List<StageLoad> stages =
        new StageLoads(temporal.service(), namespace).read(StageLoads.stages(pythonQueue));
    return new LiveStatus(run, round, started, Instant.now(), stages);
  }

  @Override
  public Integer call() {
    String namespace = settings.getTemporal().getNamespace();
    try (TemporalConnection temporal = TemporalConnection.open(settings)) {
      WorkflowExecutionStatus status = RunLookup.status(temporal.service(), namespace, runId);
      if (status == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED) {
        var summary = RunLookup.result(temporal.client(), runId);
        System.out.print(
            json
                ? Json.line(summary) + "\n"
                : ProgressView.summary(summary, settings.getTemporal().uiAddress(), namespace));
        return 0;
      }
      if (status != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING) {
        System.out.println(
            "run "
                + runId
                + ": "
                + status.name().replace("WORKFLOW_EXECUTION_STATUS_", "").toLowerCase(Locale.ROOT));
        return status == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_CONTINUED_AS_NEW ? 0 : 1;
      }
      ServerOutage outage = new ServerOutage(settings.getTemporal().getAddress());
      do {
        LiveStatus live =
            watch ? outage.retry(() -> live(temporal, namespace)) : live(temporal, namespace);
        if (json) {
          System.out.println(Json.line(live.json()));
        } else {
          if (watch && System.console() != null) {
            System.out.print("\033[H\033[2J"); // redraw in place on a terminal
          }
          System.out.print(live.render());
          System.out.println(
              "web UI: "
                  + settings.getTemporal().uiAddress()
                  + "/namespaces/"
                  + namespace
                  + "/workflows/"
                  + runId);
        }
        if (watch) {
          Thread.sleep(2000);
          if (outage.retry(() -> RunLookup.status(temporal.service(), namespace, runId))
              != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING) {
            return call(); // finished (or continued): show its final state once
          }
        }
      } while (watch);
      return 0;
    } catch (IllegalArgumentException | IllegalStateException e) {
      System.err.println(e.getMessage());
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 130;
    }
  }
}
