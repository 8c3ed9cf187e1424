package dev.quarry.workers.cli.run;

import dev.quarry.workers.config.QuarrySettings;
import dev.quarry.workers.temporal.TemporalConnection;
import dev.quarry.workflows.round.RoundProgress;
import dev.quarry.workflows.round.RoundWorkflow;
import dev.quarry.workflows.run.RunProgress;
import dev.quarry.workflows.run.RunSummary;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowFailedException;
import java.util.Optional;

/** Prints a run's progress as it changes, then its summary. */
final class RunFollower {
  private final TemporalConnection temporal;
  private final QuarrySettings settings;

  RunFollower(TemporalConnection temporal, QuarrySettings settings) {
    this.temporal = temporal;
    this.settings = settings;
  }

  int follow(String runId) throws InterruptedException {
    String namespace = settings.getTemporal().getNamespace();
    ServerOutage outage = new ServerOutage(settings.getTemporal().getAddress());
    String last = "";
    while (outage.retry(() -> statusOfKnownRun(namespace, runId))
        == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING) {
      String line = snapshot(runId).orElse(last);
      if (!line.equals(last)) {
        System.out.println(line);
        last = line;
      }
      Thread.sleep(2000);
    }
    try {
      RunSummary summary = outage.retry(() -> RunLookup.result(temporal.client(), runId));
      System.out.print(
          ProgressView.summary(summary, settings.getTemporal().uiAddress(), namespace));
      return 0;
    } catch (WorkflowFailedException e) {
      Throwable cause = e;
      while (cause.getCause() != null) {
        cause = cause.getCause();
      }
      System.err.println("run " + runId + " failed: " + cause.getMessage());
      return 1;
    }
  }

  /**
   * The run was there when following began; a server whose database is recovering can answer
   * NOT_FOUND for it a while (seen with PostgreSQL restarted): an outage, not an answer.
   */
  private WorkflowExecutionStatus statusOfKnownRun(String namespace, String runId) {
    try {
      return RunLookup.status(temporal.service(), namespace, runId);
    } catch (IllegalArgumentException notFound) {
      throw new StatusRuntimeException(
          Status.UNAVAILABLE.withDescription(
              "the server does not find run " + runId + ", which it was running (recovering?)"));
    }
  }

  /** The run's line plus its current round's, or empty while no worker answers queries. */
  private Optional<String> snapshot(String runId) {
    try {
      RunProgress run = RunLookup.stub(temporal.client(), runId).progress();
      String line = ProgressView.runLine(run);
      if (run.currentRoundWorkflowId() != null) {
        RoundProgress round =
            temporal
                .client()
                .newWorkflowStub(RoundWorkflow.class, run.currentRoundWorkflowId())
                .progress();
        line += "\n" + ProgressView.roundLine(round);
      }
      return Optional.of(line);
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }
}
