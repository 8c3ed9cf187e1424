package dev.quarry.core.sandbox;

/** The sandbox infrastructure failed; retry, and never count it against a solution. */
public class SandboxUnavailableException extends Exception {
  public SandboxUnavailableException(String message) {
    super(message);
  }

  public SandboxUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
