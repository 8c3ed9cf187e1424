package dev.quarry.activities.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link RateLimiter} on a fake clock: sleeping advances the clock and is recorded. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RateLimiterTest {
  private static final long MS = 1_000_000L;

  /** A monotonic clock that moves only when told to, or when a caller "sleeps". */
  private static final class FakeTime implements RateLimiter.Ticker, RateLimiter.Sleeper {
    final AtomicLong now;
    final boolean sleepAdvances;
    final List<Long> sleeps = new CopyOnWriteArrayList<>();
    final AtomicBoolean interruptNextSleep = new AtomicBoolean();

    FakeTime(long start, boolean sleepAdvances) {
      this.now = new AtomicLong(start);
      this.sleepAdvances = sleepAdvances;
    }

    @Override
    public long nanos() {
      return now.get();
    }

    @Override
    public void sleepNanos(long nanos) throws InterruptedException {
      if (interruptNextSleep.getAndSet(false)) {
        throw new InterruptedException("test interrupt");
      }
      sleeps.add(nanos);
      if (sleepAdvances) {
        now.addAndGet(nanos);
      }
    }

    void advance(long nanos) {
      now.addAndGet(nanos);
    }
  }

  @Test
  void firstPermitIsImmediateThenOneEveryInterval() throws Exception {
    FakeTime t = new FakeTime(0, true);
    RateLimiter limiter = new RateLimiter(10, t, t);

    for (int i = 0; i < 5; i++) {
      limiter.acquire();
    }

    assertEquals(List.of(100 * MS, 100 * MS, 100 * MS, 100 * MS), t.sleeps);
    assertEquals(400 * MS, t.nanos(), "5 permits at 10/s span 0.4 s");
  }

  @Test
  void waitsOnlyForWhatIsLeftOfTheInterval() throws Exception {
    FakeTime t = new FakeTime(0, true);
    RateLimiter limiter = new RateLimiter(10, t, t);

    limiter.acquire();
    t.advance(30 * MS); // the caller spent 30 ms on its request
    limiter.acquire();

    assertEquals(List.of(70 * MS), t.sleeps);
  }

  @Test
  void idleTimeSavesUpNoBurst() throws Exception {
    FakeTime t = new FakeTime(0, true);
    RateLimiter limiter = new RateLimiter(10, t, t);

    limiter.acquire();
    t.advance(10_000 * MS);
    limiter.acquire(); // immediate: the interval is long over
    limiter.acquire(); // but the next one is spaced again, not part of a burst

    assertEquals(List.of(100 * MS), t.sleeps);
  }

  @Test
  void fractionalAndHighRatesGiveTheExactInterval() {
    FakeTime t = new FakeTime(0, true);
    assertEquals(2_000 * MS, new RateLimiter(0.5, t, t).intervalNanos());
    assertEquals(333_333_333L, new RateLimiter(3, t, t).intervalNanos());
    assertEquals(1L, new RateLimiter(1e12, t, t).intervalNanos(), "never below one nanosecond");
    assertEquals(86_400_000 * MS, new RateLimiter(1.0 / 86_400, t, t).intervalNanos());
  }

  @Test
  void concurrentCallersEachGetTheirOwnEvenlySpacedInstant() throws Exception {
    FakeTime t = new FakeTime(0, false); // the clock stands still: every wait is from t = 0
    RateLimiter limiter = new RateLimiter(4, t, t);
    int callers = 8;
    ExecutorService pool = Executors.newFixedThreadPool(callers);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int i = 0; i < callers; i++) {
        futures.add(
            pool.submit(
                () -> {
                  start.await();
                  limiter.acquire();
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> f : futures) {
        f.get(10, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    List<Long> waits = new ArrayList<>(t.sleeps);
    waits.sort(null);
    List<Long> expected = new ArrayList<>();
    for (int i = 1; i < callers; i++) {
      expected.add(i * 250 * MS);
    }
    assertEquals(expected, waits, "one caller at once, the others at 250 ms, 500 ms, ... 1750 ms");
  }

  @Test
  void worksAcrossTheWrapAroundOfTheTicker() throws Exception {
    FakeTime t = new FakeTime(Long.MAX_VALUE - 150 * MS, true);
    RateLimiter limiter = new RateLimiter(10, t, t);

    for (int i = 0; i < 4; i++) {
      limiter.acquire();
    }

    assertEquals(List.of(100 * MS, 100 * MS, 100 * MS), t.sleeps);
  }

  @Test
  void anInterruptedWaitGetsNoPermitAndHandsItsInstantBack() throws Exception {
    FakeTime t = new FakeTime(0, true);
    RateLimiter limiter = new RateLimiter(10, t, t);
    limiter.acquire(); // t = 0

    t.interruptNextSleep.set(true);
    assertThrows(InterruptedException.class, limiter::acquire); // would have been t = 100 ms
    limiter.acquire();

    assertEquals(
        List.of(100 * MS), t.sleeps, "the next caller takes the freed 100 ms instant, not 200 ms");
  }

  @Test
  void anAlreadyInterruptedThreadFailsAtOnceAndKeepsNoInstant() throws Exception {
    FakeTime t = new FakeTime(0, true);
    RateLimiter limiter = new RateLimiter(10, t, t);

    Thread.currentThread().interrupt();
    try {
      assertThrows(InterruptedException.class, limiter::acquire);
    } finally {
      Thread.interrupted();
    }
    limiter.acquire();

    assertTrue(t.sleeps.isEmpty(), "the failed call reserved nothing: " + t.sleeps);
  }

  @Test
  void realInterruptionEndsARealWaitPromptly() throws Exception {
    RateLimiter limiter = new RateLimiter(0.1); // one permit every 10 s
    limiter.acquire();
    AtomicBoolean interrupted = new AtomicBoolean();
    Thread waiter =
        new Thread(
            () -> {
              try {
                limiter.acquire();
              } catch (InterruptedException e) {
                interrupted.set(true);
              }
            });
    waiter.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (waiter.getState() != Thread.State.TIMED_WAITING && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertEquals(
        Thread.State.TIMED_WAITING, waiter.getState(), "the second caller waits for its turn");

    waiter.interrupt();
    waiter.join(TimeUnit.SECONDS.toMillis(5));

    assertFalse(waiter.isAlive(), "interrupt ends the wait long before the 10 s interval");
    assertTrue(interrupted.get());
  }

  @Test
  void rejectsRatesThatAreNotPositiveAndFiniteOrBelowOneADay() {
    FakeTime t = new FakeTime(0, true);
    for (double bad : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY, 1e-6}) {
      assertThrows(IllegalArgumentException.class, () -> new RateLimiter(bad, t, t), "rate " + bad);
    }
  }
}
