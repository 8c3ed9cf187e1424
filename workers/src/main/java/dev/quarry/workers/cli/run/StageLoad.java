package dev.quarry.workers.cli.run;

import java.util.Locale;

/**
 * One stage of the pipeline as {@code quarry run status} shows it: its task queue's backlog as the
 * Temporal server counts it (tasks waiting for a worker: the stage is behind), the rate tasks are
 * added and dispatched, the workers polling it, and what those workers' own gauges say (LLM
 * requests in flight and queued for a permit; sandbox batches running against slots).
 *
 * @param queued tasks waiting in the queue (the server's approximate backlog count)
 * @param oldestSeconds how long the oldest waiting task has waited
 * @param workers distinct worker processes polling the queue
 * @param scraped how many of them answered on their metrics endpoint (the gauges cover those)
 * @param inFlight LLM requests sent and not yet answered, or sandbox batches running (-1: unknown)
 * @param waiting LLM requests waiting for a concurrency permit inside the workers (-1: unknown)
 * @param capacity sandbox slots of the scraped workers (-1: unknown or not a sandbox stage)
 */
record StageLoad(
    String stage,
    String taskQueue,
    long queued,
    double oldestSeconds,
    double addedPerSecond,
    double dispatchedPerSecond,
    int workers,
    int scraped,
    double inFlight,
    double waiting,
    double capacity) {

  /**
   * Workers poll this stage but none could be scraped (metrics off, or not reachable from here).
   */
  boolean unmetered() {
    return workers > 0 && scraped == 0;
  }

  /** The busy fraction of a stage with known capacity (sandbox slots), else -1. */
  double busyFraction() {
    return capacity > 0 && inFlight >= 0 ? Math.min(1, inFlight / capacity) : -1;
  }

  String render() {
    StringBuilder line =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "    %-10s queued %d%s  in %.1f/s out %.1f/s  workers %d",
                stage,
                queued,
                queued > 0 ? String.format(Locale.ROOT, " (oldest %.0f s)", oldestSeconds) : "",
                addedPerSecond,
                dispatchedPerSecond,
                workers));
    if (inFlight >= 0) {
      line.append(String.format(Locale.ROOT, "  in flight %.0f", inFlight));
      if (capacity > 0) {
        line.append(String.format(Locale.ROOT, "/%.0f slots, busy %.2f", capacity, busyFraction()));
      }
      if (waiting > 0) {
        line.append(String.format(Locale.ROOT, ", waiting for a permit %.0f", waiting));
      }
    }
    if (scraped > 0 && scraped < workers) {
      line.append(String.format(Locale.ROOT, " [gauges of %d of %d workers]", scraped, workers));
    }
    return line.append('\n').toString();
  }
}
