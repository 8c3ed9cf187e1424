package dev.quarry.workers.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/** A worker's Prometheus endpoint (QUARRY_METRICS_PORT). */
@ConfigurationProperties("quarry.metrics")
public class MetricsSettings {
  /** The port of GET /metrics; 0 turns the endpoint off. */
  @Min(0)
  @Max(65535)
  private int port = 9464;

  public int getPort() {
    return port;
  }

  public void setPort(int port) {
    this.port = port;
  }
}
