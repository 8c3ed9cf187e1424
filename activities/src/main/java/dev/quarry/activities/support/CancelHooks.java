package dev.quarry.activities.support;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What to do, besides interrupting the thread, when the activity running on this thread is
 * cancelled: a blocking socket read ignores interrupts, so the HTTP client registers {@code
 * call::cancel} here while a request is in flight. Free of Temporal: {@link Heartbeats} opens the
 * scope and fires it when a heartbeat learns of the cancellation; outside an activity a
 * registration does nothing.
 */
public final class CancelHooks {
  private static final ThreadLocal<Scope> CURRENT = new ThreadLocal<>();

  private CancelHooks() {}

  /** A registration, removed when closed (the call finished). */
  public interface Registration extends AutoCloseable {
    @Override
    void close();
  }

  /**
   * Runs {@code hook} if the current activity is cancelled while the registration is open (at once
   * if it already was).
   */
  public static Registration onCancel(Runnable hook) {
    Scope scope = CURRENT.get();
    if (scope == null) {
      return () -> {};
    }
    return scope.add(hook);
  }

  /** The scope of one long call on this thread; {@link Heartbeats} opens and fires it. */
  static final class Scope implements AutoCloseable {
    private final Set<Runnable> hooks = ConcurrentHashMap.newKeySet();
    private final Scope outer;
    private volatile boolean cancelled;

    private Scope(Scope outer) {
      this.outer = outer;
    }

    static Scope open() {
      Scope scope = new Scope(CURRENT.get());
      CURRENT.set(scope);
      return scope;
    }

    Registration add(Runnable hook) {
      hooks.add(hook);
      if (cancelled) {
        runQuietly(hook);
      }
      return () -> hooks.remove(hook);
    }

    void cancel() {
      cancelled = true;
      hooks.forEach(CancelHooks::runQuietly);
    }

    @Override
    public void close() {
      if (outer == null) {
        CURRENT.remove();
      } else {
        CURRENT.set(outer);
      }
    }
  }

  private static void runQuietly(Runnable hook) {
    try {
      hook.run();
    } catch (RuntimeException e) {
      // Cancelling is best effort; the interrupt and the attempt's end still stop the work.
    }
  }
}
