package dev.quarry.activities.support;

import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.client.ActivityCanceledException;
import io.temporal.client.ActivityCompletionException;
import io.temporal.common.CancellationToken;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Heartbeats on a timer while a long blocking call runs (an LLM request, a container batch, a
 * trainer image), so Temporal notices a dead worker within the heartbeat timeout instead of the
 * start-to-close timeout, whether or not the work reports progress.
 *
 * <p>The heartbeat is also how a worker learns that its activity was cancelled (the run was
 * cancelled, or this attempt timed out): then the working thread is interrupted and every {@link
 * CancelHooks} registered by the work runs (an HTTP call is cancelled), and the call ends with the
 * cancellation, not with the failure the interrupt caused. The SDK sends a heartbeat at most every
 * 0.8 × the heartbeat timeout (24 s for Quarry's 30 s) and reports a cancellation from that
 * response at once, so the work stops within one such interval.
 */
public final class Heartbeats {
  /** Seconds between heartbeats. */
  public static final long INTERVAL_SECONDS = 10;

  private static final ScheduledExecutorService TIMER =
      Executors.newScheduledThreadPool(
          2,
          r -> {
            Thread thread = new Thread(r, "quarry-heartbeat");
            thread.setDaemon(true);
            return thread;
          });

  private Heartbeats() {}

  public static <T> T during(String detail, Supplier<T> work) {
    return during(() -> detail, work);
  }

  /**
   * @param detail read at every beat: the latest progress (a trainer's last log lines)
   */
  public static <T> T during(Supplier<?> detail, Supplier<T> work) {
    ActivityExecutionContext context = Activity.getExecutionContext();
    Beat beat = new Beat(context, detail, Thread.currentThread(), CancelHooks.Scope.open());
    // The first beat after one interval, not at once: most LLM calls and sandbox batches end
    // sooner, and a beat at the start cost each of them a heartbeat RPC and a write of the
    // workflow's mutable state on the server, for nothing (the server's heartbeat timer runs from
    // the activity's start either way; a cancellation is still seen within one interval).
    ScheduledFuture<?> timer =
        TIMER.scheduleAtFixedRate(
            beat,
            firstBeatMillis(context),
            TimeUnit.SECONDS.toMillis(INTERVAL_SECONDS),
            TimeUnit.MILLISECONDS);
    // Fired as soon as any heartbeat response (also one the SDK sends on its own, throttled
    // schedule) carries the cancellation: the work need not wait for our next beat.
    CancellationToken<ActivityCanceledException> token = context.getCancellationToken();
    CancellationToken.Registration onCancel =
        token.onCancel(
            () -> {
              try {
                token.throwIfCancellationRequested();
              } catch (ActivityCanceledException e) {
                beat.end(e);
              }
            });
    try {
      T result = work.get();
      beat.throwIfEnded();
      return result;
    } catch (RuntimeException e) {
      beat.throwIfEnded();
      throw e;
    } finally {
      onCancel.close();
      timer.cancel(false);
      beat.finish();
    }
  }

  /** One interval, or half the heartbeat timeout when that is shorter. */
  static long firstBeatMillis(ActivityExecutionContext context) {
    long interval = TimeUnit.SECONDS.toMillis(INTERVAL_SECONDS);
    Duration timeout = context.getInfo().getHeartbeatTimeout();
    if (timeout == null || timeout.isZero()) {
      return interval;
    }
    return Math.min(interval, timeout.toMillis() / 2);
  }

  /** One activity's beats; ends the work when a heartbeat reports that the activity ended. */
  private static final class Beat implements Runnable {
    private final ActivityExecutionContext context;
    private final Supplier<?> detail;
    private final Thread worker;
    private final CancelHooks.Scope scope;
    private ActivityCompletionException ended;
    private boolean finished;

    Beat(
        ActivityExecutionContext context,
        Supplier<?> detail,
        Thread worker,
        CancelHooks.Scope scope) {
      this.context = context;
      this.detail = detail;
      this.worker = worker;
      this.scope = scope;
    }

    @Override
    public void run() {
      try {
        context.heartbeat(detail.get());
      } catch (ActivityCompletionException e) {
        end(e);
      } catch (RuntimeException e) {
        // The service was briefly unreachable: the next beat tries again.
      }
    }

    synchronized void end(ActivityCompletionException e) {
      if (finished || ended != null) {
        return;
      }
      ended = e;
      scope.cancel();
      worker.interrupt();
    }

    synchronized void throwIfEnded() {
      if (ended != null) {
        throw ended;
      }
    }

    /** After this no beat interrupts the thread; an interrupt we caused is cleared. */
    void finish() {
      boolean weInterrupted;
      synchronized (this) {
        finished = true;
        weInterrupted = ended != null;
      }
      scope.close();
      if (weInterrupted) {
        Thread.interrupted();
      }
    }
  }
}
