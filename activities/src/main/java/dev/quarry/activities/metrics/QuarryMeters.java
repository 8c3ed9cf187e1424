package dev.quarry.activities.metrics;

import dev.quarry.activities.llm.EndpointLoad;
import dev.quarry.activities.llm.LlmRequestObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import io.temporal.activity.Activity;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Quarry's own meters, recorded into Micrometer's global registry: a no-op until a worker adds a
 * registry to it (the Prometheus endpoint, see the workers module), so libraries and tests pay
 * nothing. Names follow Prometheus conventions once exported (dots become underscores).
 */
public final class QuarryMeters {
  private static final AtomicInteger SANDBOX_BUSY = new AtomicInteger();
  private static final AtomicInteger SANDBOX_SLOTS = new AtomicInteger();

  /**
   * Nanoseconds sandbox batches have run, summed over slots: rate() / slots is the busy fraction.
   */
  private static final AtomicLong SANDBOX_BUSY_NANOS = new AtomicLong();

  private static final Map<String, EndpointLoad> ENDPOINTS = new ConcurrentHashMap<>();

  static {
    Gauge.builder("quarry.sandbox.batches.active", SANDBOX_BUSY, AtomicInteger::get)
        .description("sandbox batches (containers) running now on this worker")
        .register(Metrics.globalRegistry);
    Gauge.builder("quarry.sandbox.slots", SANDBOX_SLOTS, AtomicInteger::get)
        .description("sandbox batches this worker runs at once at most (QUARRY_SANDBOX_SLOTS)")
        .register(Metrics.globalRegistry);
    Gauge.builder("quarry.sandbox.busy.fraction", QuarryMeters::sandboxBusyFraction)
        .description("sandbox slots in use now on this worker, as a fraction of its slots")
        .register(Metrics.globalRegistry);
    FunctionCounter.builder("quarry.sandbox.busy.seconds", SANDBOX_BUSY_NANOS, n -> n.get() / 1e9)
        .description(
            "slot-seconds of sandbox batches on this worker; its rate over slots is the busy fraction over time")
        .register(Metrics.globalRegistry);
  }

  /** This worker's sandbox slots, for the busy fraction (set when its sandbox queue starts). */
  public static void sandboxSlots(int slots) {
    SANDBOX_SLOTS.set(slots);
  }

  static double sandboxBusyFraction() {
    int slots = SANDBOX_SLOTS.get();
    return slots <= 0 ? 0 : (double) SANDBOX_BUSY.get() / slots;
  }

  /**
   * The shared load counter of one endpoint (by its base URL without credentials or query), with
   * its gauges: requests in flight and requests queued for a concurrency permit on this worker.
   */
  public static EndpointLoad endpointLoad(String baseUrl) {
    return ENDPOINTS.computeIfAbsent(
        endpointLabel(baseUrl),
        label -> {
          EndpointLoad load = new EndpointLoad();
          Gauge.builder("quarry.llm.requests.inflight", load, EndpointLoad::inFlight)
              .description(
                  "LLM requests sent to this endpoint and not yet answered, from this worker")
              .tag("endpoint", label)
              .register(Metrics.globalRegistry);
          Gauge.builder("quarry.llm.requests.queued", load, EndpointLoad::queued)
              .description(
                  "LLM requests waiting for one of the endpoint's maxConcurrency permits on this worker")
              .tag("endpoint", label)
              .register(Metrics.globalRegistry);
          return load;
        });
  }

  /** scheme://host:port/path: never a user-info part or a query (a key could sit there). */
  static String endpointLabel(String baseUrl) {
    try {
      URI uri = URI.create(baseUrl);
      if (uri.getHost() == null) {
        return "unparsed";
      }
      return uri.getScheme()
          + "://"
          + uri.getHost()
          + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
          + (uri.getPath() == null ? "" : uri.getPath());
    } catch (IllegalArgumentException e) {
      return "unparsed";
    }
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

  /** A sandbox batch starts; {@link #sandboxEnded} must follow, however it ends. */
  static void sandboxStarted() {
    SANDBOX_BUSY.incrementAndGet();
  }

  static void sandboxEnded(Duration took) {
    SANDBOX_BUSY.decrementAndGet();
    SANDBOX_BUSY_NANOS.addAndGet(took.toNanos());
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
   * Temporal activity type that made it (GenerateProblems, WriteTestInputs, Solve, ...: each is one
   * role's step) and the model.
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
      String activity,
      String model,
      Duration took,
      String outcome,
      int promptTokens,
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
