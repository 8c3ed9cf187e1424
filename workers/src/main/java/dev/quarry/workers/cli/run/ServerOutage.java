package dev.quarry.workers.cli.run;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Lets a follower (`run start --wait`, `run status --watch`, `make demo`) ride out a Temporal
 * outage: a frontend restarting, history or matching failing over, the database away. The run goes
 * on on the server; the follower says once that the server is unavailable, retries with backoff (1
 * s doubling to 15 s), says when it is back, and carries on. It gives up only after {@code
 * patience} without an answer.
 */
final class ServerOutage {
  /** What a server that is down, restarting or failing over answers; anything else is real. */
  private static final Set<Status.Code> TRANSIENT =
      Set.of(
          Status.Code.UNAVAILABLE,
          Status.Code.DEADLINE_EXCEEDED,
          Status.Code.RESOURCE_EXHAUSTED,
          Status.Code.ABORTED,
          Status.Code.INTERNAL,
          Status.Code.UNKNOWN);

  private static final Duration FIRST_WAIT = Duration.ofSeconds(1);
  private static final Duration LONGEST_WAIT = Duration.ofSeconds(15);

  interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;
  }

  private final String address;
  private final Duration patience;
  private final PrintStream out;
  private final Sleeper sleeper;
  private Instant since;

  ServerOutage(String address) {
    this(address, Duration.ofMinutes(30), System.err, d -> Thread.sleep(d.toMillis()));
  }

  ServerOutage(String address, Duration patience, PrintStream out, Sleeper sleeper) {
    this.address = address;
    this.patience = patience;
    this.out = out;
    this.sleeper = sleeper;
  }

  /** The call's answer, retried through an outage; other failures are thrown as they are. */
  <T> T retry(Supplier<T> call) throws InterruptedException {
    Duration wait = FIRST_WAIT;
    while (true) {
      try {
        T answer = call.get();
        if (since != null) {
          out.println(
              "Temporal server at "
                  + address
                  + " is answering again (after "
                  + Duration.between(since, Instant.now()).toSeconds()
                  + " s); following on");
          since = null;
        }
        return answer;
      } catch (RuntimeException e) {
        StatusRuntimeException status = transientStatus(e);
        if (status == null) {
          throw e;
        }
        Instant now = Instant.now();
        if (since == null) {
          since = now;
          out.println(
              "Temporal server at "
                  + address
                  + " is unavailable ("
                  + status.getStatus().getCode()
                  + ": "
                  + firstLine(status.getStatus().getDescription())
                  + "); the run goes on on the server;"
                  + " retrying with backoff");
        } else if (Duration.between(since, now).compareTo(patience) >= 0) {
          throw new IllegalStateException(
              "Temporal server at "
                  + address
                  + " has been unavailable for "
                  + Duration.between(since, now).toMinutes()
                  + " min; stopped following (the run itself is not affected;"
                  + " follow it again with ./quarry run status --watch)",
              e);
        }
        sleeper.sleep(wait);
        wait =
            wait.multipliedBy(2).compareTo(LONGEST_WAIT) > 0 ? LONGEST_WAIT : wait.multipliedBy(2);
      }
    }
  }

  /** The gRPC status behind an exception (the SDK wraps it), if it is one an outage gives. */
  static StatusRuntimeException transientStatus(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof StatusRuntimeException s) {
        return TRANSIENT.contains(s.getStatus().getCode()) ? s : null;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return null;
  }

  private static String firstLine(String text) {
    if (text == null) {
      return "no detail";
    }
    int newline = text.indexOf('\n');
    return newline < 0 ? text : text.substring(0, newline);
  }
}
