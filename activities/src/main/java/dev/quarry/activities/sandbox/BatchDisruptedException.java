package dev.quarry.activities.sandbox;

/**
 * The container ran but the runner's report is missing, incomplete, past its deadline or not the
 * runner's own (a line without the batch's nonce): something inside the container, most likely one
 * of the programs, got in the runner's way. The executor answers it by running each execution
 * alone; never a verdict by itself, never an infrastructure failure by itself.
 */
final class BatchDisruptedException extends Exception {
  private static final long serialVersionUID = 1L;

  BatchDisruptedException(String message) {
    super(message);
  }
}
