package dev.quarry.workers.cli.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import dev.quarry.workers.config.QuarrySettings;
import dev.quarry.workers.temporal.TemporalConnection;
import io.grpc.StatusRuntimeException;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.workflow.v1.WorkflowExecutionInfo;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryRequest;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryResponse;
import io.temporal.api.workflowservice.v1.ListWorkflowExecutionsRequest;
import io.temporal.api.workflowservice.v1.ListWorkflowExecutionsResponse;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code quarry run histories RUN_ID}: every workflow execution of a run (by its QuarryRunId, or
 * the workflow-id prefix when the namespace lacks it) with its history length and size as the
 * server reports them, and the largest single payload in any history, checked against Temporal's
 * warning levels: 10,240 events, 10 MB of history, 256 KB per payload.
 */
@Command(
    name = "histories",
    description =
        "History length, size and largest payload of every workflow of a run, against Temporal's limits.")
public class RunHistoriesCommand implements Callable<Integer> {
  static final long MAX_EVENTS = 10_240;
  static final long MAX_HISTORY_BYTES = 10L * 1024 * 1024;
  static final long MAX_PAYLOAD_BYTES = 256L * 1024;

  @Inject QuarrySettings settings;

  @Parameters(index = "0", description = "The run id (its workflow id).")
  String runId;

  @Option(names = "--json", description = "One JSON object instead of text.")
  boolean json;

  @Option(
      names = "--no-payloads",
      description = "Skip reading every history for its largest payload.")
  boolean noPayloads;

  /** Per execution: what the server says, and the largest payload found in its history. */
  record Execution(
      String workflowId,
      String runId,
      String type,
      long events,
      long bytes,
      long largestPayload,
      String largestPayloadEvent) {}

  @Override
  public Integer call() throws Exception {
    try (TemporalConnection temporal = TemporalConnection.open(settings)) {
      String namespace = settings.getTemporal().getNamespace();
      var stub = temporal.service().blockingStub();
      List<WorkflowExecutionInfo> infos = list(stub, namespace, "QuarryRunId='" + runId + "'");
      if (infos.isEmpty()) {
        infos = list(stub, namespace, "WorkflowId STARTS_WITH '" + runId + "'");
      }
      if (infos.isEmpty()) {
        System.err.println("no workflow of run " + runId + " found");
        return 1;
      }
      long started = System.nanoTime();
      List<Execution> executions = new ArrayList<>();
      for (WorkflowExecutionInfo info : infos) {
        long largest = 0;
        String where = "";
        if (!noPayloads) {
          byte[] token = new byte[0];
          long eventIndex = 0;
          do {
            GetWorkflowExecutionHistoryResponse page =
                stub.getWorkflowExecutionHistory(
                    GetWorkflowExecutionHistoryRequest.newBuilder()
                        .setNamespace(namespace)
                        .setExecution(info.getExecution())
                        .setNextPageToken(ByteString.copyFrom(token))
                        .build());
            for (HistoryEvent event : page.getHistory().getEventsList()) {
              eventIndex++;
              long size = largestPayload(event);
              if (size > largest) {
                largest = size;
                where =
                    "event "
                        + eventIndex
                        + " "
                        + event.getEventType().name().replace("EVENT_TYPE_", "");
              }
            }
            token = page.getNextPageToken().toByteArray();
          } while (token.length > 0);
        }
        executions.add(
            new Execution(
                info.getExecution().getWorkflowId(),
                info.getExecution().getRunId(),
                info.getType().getName(),
                info.getHistoryLength(),
                info.getHistorySizeBytes(),
                largest,
                where));
      }
      report(executions, (System.nanoTime() - started) / 1e9);
      boolean ok =
          executions.stream()
              .allMatch(
                  e ->
                      e.events() < MAX_EVENTS
                          && e.bytes() < MAX_HISTORY_BYTES
                          && e.largestPayload() <= MAX_PAYLOAD_BYTES);
      return ok ? 0 : 3;
    }
  }

  private static List<WorkflowExecutionInfo> list(
      WorkflowServiceGrpc.WorkflowServiceBlockingStub stub, String namespace, String query) {
    List<WorkflowExecutionInfo> infos = new ArrayList<>();
    ByteString token = ByteString.EMPTY;
    try {
      do {
        ListWorkflowExecutionsResponse page =
            stub.listWorkflowExecutions(
                ListWorkflowExecutionsRequest.newBuilder()
                    .setNamespace(namespace)
                    .setQuery(query)
                    .setPageSize(1000)
                    .setNextPageToken(token)
                    .build());
        infos.addAll(page.getExecutionsList());
        token = page.getNextPageToken();
      } while (!token.isEmpty());
    } catch (StatusRuntimeException e) {
      return List.of(); // e.g. an unregistered search attribute
    }
    return infos;
  }

  /** The largest Payload anywhere in a message (inputs, results, heartbeats, failures, memo). */
  static long largestPayload(Message message) {
    if (message instanceof Payload payload) {
      return payload.getSerializedSize();
    }
    long largest = 0;
    for (Map.Entry<FieldDescriptor, Object> field : message.getAllFields().entrySet()) {
      if (field.getKey().getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
        continue;
      }
      if (field.getKey().isRepeated()) {
        for (Object item : (List<?>) field.getValue()) {
          if (item instanceof Message m) {
            largest = Math.max(largest, largestPayload(m));
          } else if (item instanceof Map.Entry<?, ?> entry
              && entry.getValue() instanceof Message m) {
            largest = Math.max(largest, largestPayload(m));
          }
        }
      } else {
        largest = Math.max(largest, largestPayload((Message) field.getValue()));
      }
    }
    return largest;
  }

  private void report(List<Execution> executions, double seconds) throws Exception {
    Execution mostEvents =
        executions.stream().max((a, b) -> Long.compare(a.events(), b.events())).orElseThrow();
    Execution biggest =
        executions.stream().max((a, b) -> Long.compare(a.bytes(), b.bytes())).orElseThrow();
    Execution payload =
        executions.stream()
            .max((a, b) -> Long.compare(a.largestPayload(), b.largestPayload()))
            .orElseThrow();
    Map<String, Integer> byType = new TreeMap<>();
    executions.forEach(e -> byType.merge(e.type(), 1, Integer::sum));
    if (json) {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("runId", runId);
      out.put("executions", executions.size());
      out.put("byType", byType);
      out.put("maxEvents", mostEvents.events());
      out.put("maxEventsWorkflow", mostEvents.workflowId());
      out.put("maxHistoryBytes", biggest.bytes());
      out.put("maxHistoryBytesWorkflow", biggest.workflowId());
      out.put("maxPayloadBytes", noPayloads ? null : payload.largestPayload());
      out.put("maxPayloadWorkflow", noPayloads ? null : payload.workflowId());
      out.put("maxPayloadEvent", noPayloads ? null : payload.largestPayloadEvent());
      out.put("eventsOk", mostEvents.events() < MAX_EVENTS);
      out.put("bytesOk", biggest.bytes() < MAX_HISTORY_BYTES);
      out.put("payloadOk", noPayloads ? null : payload.largestPayload() <= MAX_PAYLOAD_BYTES);
      out.put("scanSeconds", Math.round(seconds * 10) / 10.0);
      System.out.println(new ObjectMapper().writeValueAsString(out));
      return;
    }
    System.out.printf("%d workflow executions of run %s: %s%n", executions.size(), runId, byType);
    System.out.printf(
        "most events:   %,d (%s; limit %,d)%n",
        mostEvents.events(), mostEvents.workflowId(), MAX_EVENTS);
    System.out.printf(
        "largest history: %,d bytes (%s; limit %,d)%n",
        biggest.bytes(), biggest.workflowId(), MAX_HISTORY_BYTES);
    if (!noPayloads) {
      System.out.printf(
          "largest payload: %,d bytes (%s, %s; limit %,d)%n",
          payload.largestPayload(),
          payload.workflowId(),
          payload.largestPayloadEvent(),
          MAX_PAYLOAD_BYTES);
    }
  }
}
