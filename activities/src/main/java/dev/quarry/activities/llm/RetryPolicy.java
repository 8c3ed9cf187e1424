package dev.quarry.activities.llm;

import java.time.Duration;
import java.util.Objects;

/**
 * How {@link OpenAiClient} retries 429, 408, 5xx, connection failures and timeouts before giving up
 * with {@link LlmUnavailableException}.
 *
 * @param maxAttempts total attempts, first included
 * @param initialBackoff delay before the second attempt; doubles each attempt, with jitter
 * @param maxBackoff cap of the computed delay
 * @param maxRetryAfter the longest {@code Retry-After} the client waits in-process; a longer one
 *     ends the call at once with the server's delay attached to the exception, so the caller (a
 *     Temporal activity retry) waits instead of a blocked thread
 */
public record RetryPolicy(
    int maxAttempts, Duration initialBackoff, Duration maxBackoff, Duration maxRetryAfter) {
  public static final RetryPolicy DEFAULT =
      new RetryPolicy(4, Duration.ofMillis(500), Duration.ofSeconds(20), Duration.ofSeconds(60));

  public RetryPolicy {
    Objects.requireNonNull(initialBackoff, "initialBackoff");
    Objects.requireNonNull(maxBackoff, "maxBackoff");
    Objects.requireNonNull(maxRetryAfter, "maxRetryAfter");
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be >= 1, got " + maxAttempts);
    }
    if (initialBackoff.isNegative() || maxBackoff.isNegative() || maxRetryAfter.isNegative()) {
      throw new IllegalArgumentException("durations must not be negative");
    }
    if (maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException("maxBackoff must be >= initialBackoff");
    }
  }

  public RetryPolicy withMaxAttempts(int attempts) {
    return new RetryPolicy(attempts, initialBackoff, maxBackoff, maxRetryAfter);
  }

  /**
   * The delay before attempt {@code failedAttempt + 1}: exponential, capped, with "equal jitter"
   * (half fixed, half random) so that many clients throttled together do not retry together.
   *
   * @param random a value in [0, 1)
   */
  Duration backoff(int failedAttempt, double random) {
    long base = initialBackoff.toMillis();
    long cap = maxBackoff.toMillis();
    int shift = Math.min(Math.max(failedAttempt - 1, 0), 30);
    long exp = base > cap >> shift ? cap : Math.min(cap, base << shift);
    long half = exp / 2;
    return Duration.ofMillis(half + (long) (random * (exp - half + 1)));
  }
}
