package dev.quarry.activities.support;

import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Heartbeats while a long blocking call runs (an LLM request, a container batch), so Temporal
 * notices a dead worker within the heartbeat timeout instead of the start-to-close timeout.
 */
public final class Heartbeats {
  private static final ScheduledExecutorService TIMER =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread thread = new Thread(r, "quarry-heartbeat");
            thread.setDaemon(true);
            return thread;
          });

  private Heartbeats() {}

  public static <T> T during(String detail, Supplier<T> work) {
    ActivityExecutionContext context = Activity.getExecutionContext();
    ScheduledFuture<?> beat =
        TIMER.scheduleAtFixedRate(() -> safeHeartbeat(context, detail), 0, 10, TimeUnit.SECONDS);
    try {
      return work.get();
    } finally {
      beat.cancel(false);
    }
  }

  private static void safeHeartbeat(ActivityExecutionContext context, String detail) {
    try {
      context.heartbeat(detail);
    } catch (RuntimeException e) {
      // A cancelled or timed-out activity: the call in flight fails on its own.
    }
  }
}
