package dev.quarry.activities.training.openai;

/** The fine-tuning API answered with an error or not at all. */
public final class FineTuningApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int status;

  public FineTuningApiException(int status, String message, Throwable cause) {
    super(message, cause);
    this.status = status;
  }

  /** HTTP status, or 0 when no answer arrived. */
  public int status() {
    return status;
  }

  /** 4xx other than 408/429: sending the same request again cannot help. */
  public boolean rejected() {
    return status >= 400 && status < 500 && status != 408 && status != 429;
  }
}
