package dev.quarry.activities.llm;

/**
 * A call to an LLM endpoint failed. {@link #isRetryable()} tells an activity whether retrying the
 * same request can help; it never counts as a wrong answer of a model. Messages never contain an
 * API key.
 */
public abstract class LlmException extends Exception {
  protected LlmException(String message, Throwable cause) {
    super(message, cause);
  }

  public abstract boolean isRetryable();
}
