package dev.quarry.core.seeds;

/** The seed file as a whole is unusable (missing, unreadable, no valid problem). */
public class SeedFileException extends RuntimeException {
  public SeedFileException(String message) {
    super(message);
  }

  public SeedFileException(String message, Throwable cause) {
    super(message, cause);
  }
}
