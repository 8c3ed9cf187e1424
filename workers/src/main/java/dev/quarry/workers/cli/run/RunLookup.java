package dev.quarry.workers.cli.run;

import dev.quarry.workflows.run.GenerationRunWorkflow;
import dev.quarry.workflows.run.RunSummary;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowStub;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.time.Instant;

/** Finds a run by id and says clearly when there is none. */
public final class RunLookup {
  private RunLookup() {}

  public static WorkflowExecutionStatus status(
      WorkflowServiceStubs service, String namespace, String runId) {
    try {
      return service
          .blockingStub()
          .describeWorkflowExecution(
              DescribeWorkflowExecutionRequest.newBuilder()
                  .setNamespace(namespace)
                  .setExecution(WorkflowExecution.newBuilder().setWorkflowId(runId).build())
                  .build())
          .getWorkflowExecutionInfo()
          .getStatus();
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
        throw new IllegalArgumentException(
            "no run with id '"
                + runId
                + "' in namespace '"
                + namespace
                + "' (list runs with: temporal workflow list --query \"WorkflowType='"
                + GenerationRunWorkflow.TYPE
                + "'\")");
      }
      throw e;
    }
  }

  /** When the current execution of a workflow started (a round's start, for the ETA). */
  public static Instant startTime(
      WorkflowServiceStubs service, String namespace, String workflowId) {
    var start =
        service
            .blockingStub()
            .describeWorkflowExecution(
                DescribeWorkflowExecutionRequest.newBuilder()
                    .setNamespace(namespace)
                    .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId).build())
                    .build())
            .getWorkflowExecutionInfo()
            .getStartTime();
    return Instant.ofEpochSecond(start.getSeconds(), start.getNanos());
  }

  public static RunSummary result(WorkflowClient client, String runId) {
    return WorkflowStub.fromTyped(client.newWorkflowStub(GenerationRunWorkflow.class, runId))
        .getResult(RunSummary.class);
  }

  public static GenerationRunWorkflow stub(WorkflowClient client, String runId) {
    return client.newWorkflowStub(GenerationRunWorkflow.class, runId);
  }
}
