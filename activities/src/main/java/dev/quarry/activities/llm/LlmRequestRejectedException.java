package dev.quarry.activities.llm;

/**
 * The endpoint refused the request itself (400, 401, 403, 404, other 4xx): sending it again cannot
 * help. Not retryable. Carries the HTTP status and the server's own error message.
 */
public final class LlmRequestRejectedException extends LlmException {
  private final int status;
  private final String serverMessage;

  public LlmRequestRejectedException(String message, int status, String serverMessage) {
    super(message, null);
    this.status = status;
    this.serverMessage = serverMessage;
  }

  @Override
  public boolean isRetryable() {
    return false;
  }

  public int status() {
    return status;
  }

  /** The error message from the response body ({@code error.message} when present). */
  public String serverMessage() {
    return serverMessage;
  }
}
