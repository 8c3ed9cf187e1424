package dev.quarry.workers.config;

import dev.quarry.activities.sandbox.SandboxSettings;
import io.micronaut.context.annotation.ConfigurationProperties;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/**
 * A sandbox worker's Docker sandbox: images, how many batches it runs at once, and with what
 * (QUARRY_SANDBOX_*). The per-execution limits are the run's (RunConfig's sandbox block).
 */
@ConfigurationProperties("quarry.sandbox")
public class SandboxWorkerSettings {
  @NotBlank private String image = SandboxSettings.DEFAULT_IMAGE;
  @NotBlank private String cppImage = SandboxSettings.DEFAULT_CPP_IMAGE;

  /** Concurrent sandbox batches (containers) per worker. */
  @Min(1)
  private int slots = 2;

  /** Executions run in parallel inside one container. */
  @Min(1)
  @Max(64)
  private int parallelism = 2;

  /** docker (the real sandbox) or scripted (orchestration benchmarks only; nothing runs). */
  @NotNull private SandboxMode mode = SandboxMode.DOCKER;

  /** runc (the engine's default) or runsc: gVisor, registered by scripts/ensure-gvisor.sh. */
  @NotNull
  @Pattern(
      regexp = SandboxSettings.RUNC + "|" + SandboxSettings.RUNSC,
      message = "must be runc or runsc")
  private String runtime = SandboxSettings.RUNC;

  /** The executor's settings: these images and parallelism on the default limits. */
  public SandboxSettings toSandboxSettings() {
    return SandboxSettings.defaults()
        .withImage(image)
        .withCppImage(cppImage)
        .withParallelism(parallelism)
        .withRuntime(runtime);
  }

  public String getImage() {
    return image;
  }

  public void setImage(String image) {
    this.image = image;
  }

  public String getCppImage() {
    return cppImage;
  }

  public void setCppImage(String cppImage) {
    this.cppImage = cppImage;
  }

  public int getSlots() {
    return slots;
  }

  public void setSlots(int slots) {
    this.slots = slots;
  }

  public int getParallelism() {
    return parallelism;
  }

  public void setParallelism(int parallelism) {
    this.parallelism = parallelism;
  }

  public SandboxMode getMode() {
    return mode;
  }

  public void setMode(SandboxMode mode) {
    this.mode = mode;
  }

  public String getRuntime() {
    return runtime;
  }

  public void setRuntime(String runtime) {
    this.runtime = runtime;
  }
}
