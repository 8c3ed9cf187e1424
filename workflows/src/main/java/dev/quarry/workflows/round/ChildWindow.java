package dev.quarry.workflows.round;

import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.ChildWorkflowFailure;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The one sliding window of child workflows: at most {@code width} children in flight, none started
 * while paused, each finished child's outcome folded into a {@link PromptTally} and handed to the
 * owner. Rounds of every method and prompt batches start their children here.
 *
 * <p>A child that fails (its own fault: an activity out of attempts, a bug in one prompt) is
 * counted as a failed prompt with its reason, and the others go on; only a cancellation of the
 * owner ends the window with a failure.
 */
public final class ChildWindow {
  /** What the owner of a window learns: one child started, one child finished. */
  public interface Listener {
    void started();

    /**
     * @param one the finished child's counts alone
     */
    void finished(PromptTally one);
  }

  private final int width;
  private final BooleanSupplier paused;
  private final Listener listener;
  private final List<Promise<Void>> inFlight = new ArrayList<>();
  private int running;

  public ChildWindow(int width, BooleanSupplier paused, Listener listener) {
    if (width < 1) {
      throw new IllegalArgumentException("a window needs room for at least one child");
    }
    this.width = width;
    this.paused = paused;
    this.listener = listener;
  }

  /**
   * Waits for room (and for a resume), then starts one child.
   *
   * @param child starts the child and returns its result
   * @param fold adds the child's outcome to a tally (one of PromptTally's {@code plus})
   */
  public <O> void start(Supplier<Promise<O>> child, BiFunction<PromptTally, O, PromptTally> fold) {
    Workflow.await(() -> !paused.getAsBoolean() && running < width);
    running++;
    listener.started();
    inFlight.add(
        child
            .get()
            .handle(
                (outcome, failure) -> {
                  running--;
                  if (failure == null) {
                    listener.finished(fold.apply(PromptTally.ZERO, outcome));
                  } else if (isolated(failure)) {
                    listener.finished(PromptTally.ZERO.plusFailed(reason(failure)));
                  } else {
                    throw failure;
                  }
                  return null;
                }));
  }

  /** Blocks until every child started here has finished and been counted. */
  public void awaitAll() {
    Promise.allOf(inFlight).get();
    inFlight.clear();
  }

  private static boolean isolated(RuntimeException failure) {
    return failure instanceof ChildWorkflowFailure
        && !(failure.getCause() instanceof CanceledFailure);
  }

  /** A short, countable reason: the failure's type, not its message (that is in the child). */
  static String reason(RuntimeException failure) {
    // The child's own failure wraps the cause (an activity's failure, wrapping its type): the
    // innermost application failure's type says what went wrong.
    Throwable root = failure;
    String type = null;
    for (Throwable t = failure; t != null; t = t.getCause()) {
      root = t;
      if (t instanceof ApplicationFailure application) {
        type = application.getType();
      }
    }
    return "child failed: " + (type != null ? type : root.getClass().getSimpleName());
  }
}
