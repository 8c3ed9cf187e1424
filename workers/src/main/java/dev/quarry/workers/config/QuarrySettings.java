package dev.quarry.workers.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import jakarta.inject.Inject;
import jakarta.validation.constraints.NotBlank;
import java.nio.file.Path;

/**
 * Worker-side settings, from application.yml and overridable by environment variables (QUARRY_HOME,
 * QUARRY_TEMPORAL_ADDRESS, QUARRY_SANDBOX_IMAGE, ...): the Quarry home here, and one typed,
 * validated class per concern ({@link TemporalSettings}, {@link SandboxWorkerSettings}, {@link
 * LlmSettings}, {@link MetricsSettings}; {@link StoreSettings} is injected on its own). Secrets
 * such as API keys are read from the environment by name at call time and never stored here.
 */
@ConfigurationProperties("quarry")
public class QuarrySettings {
  /** State of this machine's Quarry: artifact store, records, logs, pids, models, datasets. */
  @NotBlank private String home = ".quarry";

  private TemporalSettings temporal = new TemporalSettings();
  private SandboxWorkerSettings sandbox = new SandboxWorkerSettings();
  private LlmSettings llm = new LlmSettings();
  private MetricsSettings metrics = new MetricsSettings();

  /** The GGUF the embedded server loads. */
  public Path modelPath() {
    String model = llm.getModel();
    return model == null || model.isBlank()
        ? homePath().resolve("models").resolve("SmolLM2-135M-Instruct.Q4_1.gguf")
        : Path.of(model).toAbsolutePath().normalize();
  }

  public Path homePath() {
    return Path.of(home).toAbsolutePath().normalize();
  }

  public String getHome() {
    return home;
  }

  public void setHome(String home) {
    this.home = home;
  }

  /** A worker's Prometheus endpoint port; 0 turns it off. */
  public int getMetricsPort() {
    return metrics.getPort();
  }

  public TemporalSettings getTemporal() {
    return temporal;
  }

  @Inject
  public void setTemporal(TemporalSettings temporal) {
    this.temporal = temporal;
  }

  public SandboxWorkerSettings getSandbox() {
    return sandbox;
  }

  @Inject
  public void setSandbox(SandboxWorkerSettings sandbox) {
    this.sandbox = sandbox;
  }

  public LlmSettings getLlm() {
    return llm;
  }

  @Inject
  public void setLlm(LlmSettings llm) {
    this.llm = llm;
  }

  public MetricsSettings getMetrics() {
    return metrics;
  }

  @Inject
  public void setMetrics(MetricsSettings metrics) {
    this.metrics = metrics;
  }
}
