package dev.quarry.activities.llm;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * How loaded one endpoint is from this worker: requests holding one of its concurrency permits (in
 * flight) and requests waiting for one (queued). Shared by every {@link OpenAiClient} of the same
 * endpoint, so the figures are per endpoint, not per role; the Prometheus gauges read it
 * (QuarryMeters). A queue that stays long says the endpoint, not the orchestration, is the limit.
 */
public final class EndpointLoad {
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger queued = new AtomicInteger();

  public int inFlight() {
    return inFlight.get();
  }

  public int queued() {
    return queued.get();
  }

  void waiting() {
    queued.incrementAndGet();
  }

  /** Stops waiting: {@code admitted} when it got a permit (then {@link #done} must follow). */
  void stopWaiting(boolean admitted) {
    queued.decrementAndGet();
    if (admitted) {
      inFlight.incrementAndGet();
    }
  }

  void done() {
    inFlight.decrementAndGet();
  }
}
