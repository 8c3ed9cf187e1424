package dev.quarry.workers.worker;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The identity a worker gives Temporal: the SDK's usual {@code pid@host}, plus the URL of its
 * Prometheus endpoint when it serves one. The server lists every poller's identity with its task
 * queue, so {@code quarry run status} finds the gauges of each stage's workers there (no separate
 * registry to keep in sync). The host is this machine's name: what other hosts of a cluster (or
 * containers of one compose network) resolve it by.
 */
public final class WorkerIdentity {
  private WorkerIdentity() {}

  public static String of(long pid, String host, int metricsPort) {
    String base = pid + "@" + host;
    return metricsPort > 0
        ? base + " metrics=http://" + host + ":" + metricsPort + "/metrics"
        : base;
  }

  /** This process's identity; {@code metricsPort} 0 when it serves no metrics. */
  public static String current(int metricsPort) {
    return of(ProcessHandle.current().pid(), hostName(), metricsPort);
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "localhost";
    }
  }
}
