package dev.quarry.workers.temporal;

import com.uber.m3.tally.Scope;
import dev.quarry.workers.config.QuarrySettings;
import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.util.concurrent.TimeUnit;

/**
 * Connects to Temporal (through {@link TemporalClients}), failing fast with a message that says how
 * to get a server or which security setting to fix.
 */
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
    return open(settings, metrics, null);
  }

  /**
   * As {@link #open(QuarrySettings, Scope)}, with the client's identity (a worker's: see {@code
   * WorkerIdentity}); null keeps the SDK's default.
   */
  public static TemporalConnection open(QuarrySettings settings, Scope metrics, String identity) {
    String address = settings.getTemporal().getAddress();
    WorkflowServiceStubs service;
    try {
      service = TemporalClients.serviceStubs(settings, metrics);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("cannot connect to Temporal: " + e.getMessage(), e);
    }
    try {
      service.healthCheck();
    } catch (RuntimeException e) {
      service.shutdownNow();
      throw new IllegalStateException(
          ConnectionFailure.explain(address, settings.getTemporal().getSecurity(), e), e);
    }
    WorkflowClient client;
    try {
      client = TemporalClients.client(service, settings, identity);
    } catch (IllegalArgumentException e) {
      service.shutdownNow();
      throw new IllegalStateException("cannot set up the Temporal client: " + e.getMessage(), e);
    }
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
    service.awaitTermination(5, TimeUnit.SECONDS);
  }
}
