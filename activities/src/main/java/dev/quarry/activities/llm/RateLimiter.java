package dev.quarry.activities.llm;

import java.util.concurrent.TimeUnit;

/**
 * Spaces calls evenly: at most one permit every {@code 1 / permitsPerSecond} seconds, shared by all
 * threads, no bursts. The first permit, and the first after an idle spell, is granted at once; an
 * idle spell saves up nothing, so a limit of 10/s never lets 10 calls through in the same instant.
 *
 * <p>Each caller reserves the next free instant under a short lock, then sleeps until it outside
 * the lock, so waiting callers are served in the order they arrived and each has its own instant.
 * {@link #acquire()} is interruptible; an interrupted caller hands its instant back when no later
 * caller has reserved one behind it (otherwise the gap stays, which only errs on the slow side).
 *
 * <p>Time comes from an injectable monotonic {@link Ticker} and waits go through an injectable
 * {@link Sleeper}, so that tests need no real sleeping.
 */
final class RateLimiter {
  /** Monotonic time in nanoseconds, like {@link System#nanoTime()}. */
  interface Ticker {
    long nanos();
  }

  /** Blocks for {@code nanos} (> 0); must throw {@link InterruptedException} when interrupted. */
  interface Sleeper {
    void sleepNanos(long nanos) throws InterruptedException;
  }

  private static final double NANOS_PER_SECOND = 1e9;

  private final double permitsPerSecond;
  private final long intervalNanos;
  private final Ticker ticker;
  private final Sleeper sleeper;

  /** The earliest instant ({@link Ticker} time) the next permit may be granted. Guarded by this. */
  private long nextFree;

  /** Real time: {@link System#nanoTime()} and {@link TimeUnit#sleep}. */
  RateLimiter(double permitsPerSecond) {
    this(permitsPerSecond, System::nanoTime, TimeUnit.NANOSECONDS::sleep);
  }

  RateLimiter(double permitsPerSecond, Ticker ticker, Sleeper sleeper) {
    if (!Double.isFinite(permitsPerSecond) || permitsPerSecond <= 0) {
      throw new IllegalArgumentException(
          "permitsPerSecond must be positive and finite, got " + permitsPerSecond);
    }
    if (permitsPerSecond < EndpointConfig.MIN_REQUESTS_PER_SECOND) {
      throw new IllegalArgumentException(
          "permitsPerSecond must be at least one a day, got " + permitsPerSecond);
    }
    this.permitsPerSecond = permitsPerSecond;
    // At most one day (~8.6e13 ns): instants stay far from overflowing their differences.
    this.intervalNanos = Math.max(1, Math.round(NANOS_PER_SECOND / permitsPerSecond));
    this.ticker = ticker;
    this.sleeper = sleeper;
    this.nextFree = ticker.nanos();
  }

  double permitsPerSecond() {
    return permitsPerSecond;
  }

  /** The spacing between two permits. */
  long intervalNanos() {
    return intervalNanos;
  }

  /**
   * Blocks until this caller's instant has come.
   *
   * @throws InterruptedException if the thread is interrupted before or while waiting; it then got
   *     no permit
   */
  void acquire() throws InterruptedException {
    if (Thread.interrupted()) {
      throw new InterruptedException("interrupted before acquiring a rate-limit permit");
    }
    long now;
    long at;
    synchronized (this) {
      now = ticker.nanos();
      // Compared by difference, as System.nanoTime values must be.
      at = nextFree - now > 0 ? nextFree : now;
      nextFree = at + intervalNanos;
    }
    long wait = at - now;
    if (wait <= 0) {
      return;
    }
    try {
      sleeper.sleepNanos(wait);
    } catch (InterruptedException e) {
      synchronized (this) {
        if (nextFree == at + intervalNanos) {
          nextFree = at; // nobody queued behind us: the instant is free again
        }
      }
      throw e;
    }
  }

  @Override
  public String toString() {
    return "RateLimiter[" + permitsPerSecond + "/s]";
  }
}
