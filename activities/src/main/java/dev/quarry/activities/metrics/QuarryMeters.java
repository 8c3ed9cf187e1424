package dev.quarry.activities.metrics;

import dev.quarry.activities.llm.LlmRequestObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import io.temporal.activity.Activity;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Quarry's own meters, recorded into Micrometer's global registry: a no-op until a worker adds a
 * registry to it (the Prometheus endpoint, see the workers module), so libraries and tests pay
 * nothing. Names follow Prometheus conventions once exported (dots become underscores).
 */
public final class QuarryMeters {
  private static final AtomicInteger SANDBOX_BUSY = new AtomicInteger();

  static {
    Gauge.builder("quarry.sandbox.batches.active", SANDBOX_BUSY, AtomicInteger::get)
        .description("sandbox batches (containers) running now on this worker")
        .register(Metrics.globalRegistry);
  }

  private QuarryMeters() {}

  private static MeterRegistry registry() {
    return Metrics.globalRegistry;
  }

  /** One execution's verdict, as the sandbox reported it. */
  static void execution(String verdict, String language) {
    Counter.builder("quarry.sandbox.executions")
        .description("sandbox executions by verdict")
        .tag("verdict", verdict)
        .tag("language", language)
        .register(registry())
        .increment();
  }

  /** A sandbox batch starts; {@link #sandboxEnded()} must follow, however it ends. */
  static void sandboxStarted() {
    SANDBOX_BUSY.incrementAndGet();
  }

  static void sandboxEnded() {
    SANDBOX_BUSY.decrementAndGet();
  }

  static void sandboxBatch(Duration took, String outcome) {
    Timer.builder("quarry.sandbox.batch")
        .description("time to run one sandbox batch, container start to removal")
        .tag("outcome", outcome)
        .register(registry())
        .record(took);
  }

  /**
   * Observes an LLM client: every real request (cache hits are not requests), tagged with the
   * Temporal activity type that made it (GenerateProblems, WriteTestInputs, Solve, ...: each is
   * one role's step) and the model.
   */
  public static LlmRequestObserver llmObserver() {
    return (model, took, outcome, promptTokens, completionTokens) ->
        llmRequest(currentActivity(), model, took, outcome, promptTokens, completionTokens);
  }

  private static String currentActivity() {
    try {
      return Activity.getExecutionContext().getInfo().getActivityType();
    } catch (RuntimeException notInAnActivity) {
      return "none"; // the CLI (llm chat, bench) or a test
    }
  }

  static void llmRequest(
      String activity, String model, Duration took, String outcome, int promptTokens,
      int completionTokens) {
    Timer.builder("quarry.llm.request")
        .description("LLM request latency by activity (the role's step) and model")
        .tag("activity", activity)
        .tag("model", model)
        .tag("outcome", outcome)
        .register(registry())
        .record(took);
    if (promptTokens > 0) {
      tokens(activity, model, "prompt").increment(promptTokens);
    }
    if (completionTokens > 0) {
      tokens(activity, model, "completion").increment(completionTokens);
    }
  }

  private static Counter tokens(String activity, String model, String kind) {
    return Counter.builder("quarry.llm.tokens")
        .description("LLM tokens by activity, model and kind (prompt or completion)")
        .tag("activity", activity)
        .tag("model", model)
        .tag("kind", kind)
        .register(registry());
  }
}
