package dev.quarry.activities.llm;

import java.time.Duration;
import java.util.Optional;

/**
 * The endpoint could not give a usable answer after the client's own retries: throttled (429),
 * server errors, timeouts, connection failures, or a response that was not valid OpenAI JSON.
 * Retryable.
 */
public final class LlmUnavailableException extends LlmException {
  private final int status;
  private final Duration retryAfter;

  public LlmUnavailableException(String message, int status, Duration retryAfter, Throwable cause) {
    super(message, cause);
    this.status = status;
    this.retryAfter = retryAfter;
  }

  public LlmUnavailableException(String message, Throwable cause) {
    this(message, 0, null, cause);
  }

  public LlmUnavailableException(String message) {
    this(message, 0, null, null);
  }

  @Override
  public boolean isRetryable() {
    return true;
  }

  /** The last HTTP status seen, or 0 when there was none (connection failure, timeout). */
  public int status() {
    return status;
  }

  /** How long the server asked to wait (its last {@code Retry-After}), if it said so. */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }
}
