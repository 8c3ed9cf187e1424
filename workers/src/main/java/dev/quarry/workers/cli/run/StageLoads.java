package dev.quarry.workers.cli.run;

import dev.quarry.workflows.TaskQueues;
import io.temporal.api.enums.v1.TaskQueueType;
import io.temporal.api.taskqueue.v1.PollerInfo;
import io.temporal.api.taskqueue.v1.TaskQueue;
import io.temporal.api.taskqueue.v1.TaskQueueStats;
import io.temporal.api.workflowservice.v1.DescribeTaskQueueRequest;
import io.temporal.api.workflowservice.v1.DescribeTaskQueueResponse;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads every stage's load for {@code quarry run status}: the server's task-queue statistics
 * (DescribeTaskQueue with stats) and the gauges of the workers polling each queue. The queues are
 * shared by every run in the namespace, so this is the pipeline's load, not one run's.
 */
final class StageLoads {
  private static final Duration SCRAPE_TIMEOUT = Duration.ofMillis(800);

  private final WorkflowServiceStubs service;
  private final String namespace;
  private final HttpClient http =
      HttpClient.newBuilder()
          .connectTimeout(SCRAPE_TIMEOUT)
          .version(HttpClient.Version.HTTP_1_1)
          .build();

  StageLoads(WorkflowServiceStubs service, String namespace) {
    this.service = service;
    this.namespace = namespace;
  }

  /**
   * The stage name → its task queue: Quarry's four, plus a Python trainer's queue if the run has
   * one.
   */
  static Map<String, String> stages(String pythonTrainerQueue) {
    Map<String, String> stages = new LinkedHashMap<>();
    stages.put("workflows", TaskQueues.WORKFLOWS);
    stages.put("llm", TaskQueues.LLM);
    stages.put("sandbox", TaskQueues.SANDBOX);
    stages.put("train", TaskQueues.TRAIN);
    if (pythonTrainerQueue != null) {
      stages.put("train-py", pythonTrainerQueue);
    }
    return stages;
  }

  List<StageLoad> read(Map<String, String> stages) {
    List<StageLoad> loads = new ArrayList<>();
    stages.forEach((stage, queue) -> loads.add(read(stage, queue)));
    return loads;
  }

  private StageLoad read(String stage, String queue) {
    long queued = 0;
    double oldest = 0, added = 0, dispatched = 0;
    Set<String> identities = new LinkedHashSet<>();
    // The workflows queue carries workflow tasks and the bookkeeping activities; the others only
    // activities.
    List<TaskQueueType> types =
        TaskQueues.WORKFLOWS.equals(queue)
            ? List.of(
                TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW, TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY)
            : List.of(TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY);
    for (TaskQueueType type : types) {
      DescribeTaskQueueResponse described =
          service
              .blockingStub()
              .describeTaskQueue(
                  DescribeTaskQueueRequest.newBuilder()
                      .setNamespace(namespace)
                      .setTaskQueue(TaskQueue.newBuilder().setName(queue))
                      .setTaskQueueType(type)
                      .setReportStats(true)
                      .build());
      TaskQueueStats stats = described.getStats();
      queued += stats.getApproximateBacklogCount();
      oldest =
          Math.max(
              oldest,
              stats.getApproximateBacklogAge().getSeconds()
                  + stats.getApproximateBacklogAge().getNanos() / 1e9);
      added += stats.getTasksAddRate();
      dispatched += stats.getTasksDispatchRate();
      described.getPollersList().stream().map(PollerInfo::getIdentity).forEach(identities::add);
    }
    int scraped = 0;
    double inFlight = 0, waiting = 0, capacity = 0;
    for (String identity : identities) {
      Optional<URI> url = WorkerGauges.advertisedBy(identity);
      Optional<WorkerGauges> gauges =
          url.flatMap(u -> WorkerGauges.scrape(http, u, SCRAPE_TIMEOUT));
      if (gauges.isEmpty()) {
        continue;
      }
      scraped++;
      WorkerGauges g = gauges.get();
      if (stage.equals("llm")) {
        inFlight += g.get(WorkerGauges.LLM_IN_FLIGHT);
        waiting += g.get(WorkerGauges.LLM_QUEUED);
      } else if (stage.equals("sandbox")) {
        inFlight += g.get(WorkerGauges.SANDBOX_ACTIVE);
        capacity += g.get(WorkerGauges.SANDBOX_SLOTS);
      }
    }
    boolean gauged = scraped > 0 && (stage.equals("llm") || stage.equals("sandbox"));
    return new StageLoad(
        stage,
        queue,
        queued,
        oldest,
        added,
        dispatched,
        identities.size(),
        scraped,
        gauged ? inFlight : -1,
        gauged ? waiting : -1,
        gauged && capacity > 0 ? capacity : -1);
  }
}
