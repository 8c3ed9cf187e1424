package dev.quarry.workers.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;

/**
 * The embedded LLM server that `quarry dev up` starts, and LLM call concurrency of a worker
 * (QUARRY_LLM_*).
 */
@ConfigurationProperties("quarry.llm")
public class LlmSettings {
  /** Blank: the default model that scripts/ensure-model.sh puts under the Quarry home. */
  @NotNull private String model = "";

  @Min(1)
  @Max(65535)
  private int port = 8088;

  /** Concurrent LLM activities per worker. */
  @Min(1)
  private int slots = 2;

  /** LLM activities per second across all workers of the llm queue; 0: no limit. */
  @PositiveOrZero private double requestsPerSecond = 0;

  /** How long one chat call may take before it is failed (and retried by Temporal). */
  @Min(1)
  private int timeoutSeconds = 600;

  public String getModel() {
    return model;
  }

  public void setModel(String model) {
    this.model = model;
  }

  public int getPort() {
    return port;
  }

  public void setPort(int port) {
    this.port = port;
  }

  public int getSlots() {
    return slots;
  }

  public void setSlots(int slots) {
    this.slots = slots;
  }

  public double getRequestsPerSecond() {
    return requestsPerSecond;
  }

  public void setRequestsPerSecond(double requestsPerSecond) {
    this.requestsPerSecond = requestsPerSecond;
  }

  public int getTimeoutSeconds() {
    return timeoutSeconds;
  }

  public void setTimeoutSeconds(int timeoutSeconds) {
    this.timeoutSeconds = timeoutSeconds;
  }
}
