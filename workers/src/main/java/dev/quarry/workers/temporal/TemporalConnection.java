package dev.quarry.workers.temporal;

import com.uber.m3.tally.Scope;
import dev.quarry.workers.config.QuarrySettings;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.time.Duration;

/** Connects to Temporal, failing fast with a message that says how to get a server. */
public final class TemporalConnection implements AutoCloseable {
  private final WorkflowServiceStubs service;
  private final WorkflowClient client;

  private TemporalConnection(WorkflowServiceStubs service, WorkflowClient client) {
    this.service = service;
    this.client = client;
  }

  public static TemporalConnection open(QuarrySettings settings) {
    return open(settings, null);
  }

  /** As {@link #open(QuarrySettings)}, reporting the SDK's metrics to {@code metrics} if given. */
  public static TemporalConnection open(QuarrySettings settings, Scope metrics) {
    String address = settings.getTemporal().getAddress();
    WorkflowServiceStubsOptions.Builder options =
        WorkflowServiceStubsOptions.newBuilder()
            .setTarget(address)
            .setRpcTimeout(Duration.ofSeconds(10));
    if (metrics != null) {
      options.setMetricsScope(metrics);
    }
    WorkflowServiceStubs service = WorkflowServiceStubs.newServiceStubs(options.build());
    try {
      service.healthCheck();
    } catch (RuntimeException e) {
      service.shutdownNow();
      throw new IllegalStateException(
          "cannot reach the Temporal server at "
              + address
              + ": start the local stack with `./quarry dev up`, or set QUARRY_TEMPORAL_ADDRESS"
              + " (cause: "
              + e.getMessage()
              + ")",
          e);
    }
    WorkflowClient client =
        WorkflowClient.newInstance(
            service,
            WorkflowClientOptions.newBuilder()
                .setNamespace(settings.getTemporal().getNamespace())
                .build());
    return new TemporalConnection(service, client);
  }

  public WorkflowClient client() {
    return client;
  }

  public WorkflowServiceStubs service() {
    return service;
  }

  @Override
  public void close() {
    service.shutdown();
    service.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS);
  }
}
