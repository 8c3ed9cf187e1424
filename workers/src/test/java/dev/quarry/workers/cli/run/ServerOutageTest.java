package dev.quarry.workers.cli.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.client.WorkflowServiceException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The follower's outage handling, with the sleeps recorded instead of slept. */
class ServerOutageTest {
  private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
  private final List<Duration> slept = new ArrayList<>();

  private ServerOutage outage(Duration patience) {
    return new ServerOutage(
        "127.0.0.1:7233",
        patience,
        new PrintStream(printed, true, StandardCharsets.UTF_8),
        slept::add);
  }

  @Test
  void saysTheServerIsUnavailableRetriesWithBackoffAndCarriesOn() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    String answer =
        outage(Duration.ofMinutes(30))
            .retry(
                () -> {
                  if (calls.incrementAndGet() <= 5) {
                    // As the SDK throws it when the frontend is down: wrapped.
                    throw new WorkflowServiceException(
                        WorkflowExecution.getDefaultInstance(),
                        "GenerationRun",
                        new StatusRuntimeException(
                            Status.UNAVAILABLE.withDescription("connection refused")));
                  }
                  return "RUNNING";
                });
    assertEquals("RUNNING", answer);
    assertEquals(
        List.of(
            Duration.ofSeconds(1),
            Duration.ofSeconds(2),
            Duration.ofSeconds(4),
            Duration.ofSeconds(8),
            Duration.ofSeconds(15)),
        slept);
    String text = printed.toString(StandardCharsets.UTF_8);
    assertEquals(1, text.split("is unavailable", -1).length - 1, text); // said once per outage
    assertTrue(text.contains("UNAVAILABLE: connection refused"), text);
    assertTrue(text.contains("answering again"), text);
  }

  @Test
  void otherFailuresAreNotRetried() {
    IllegalArgumentException notFound = new IllegalArgumentException("no run with id 'x'");
    assertSame(
        notFound,
        assertThrows(
            IllegalArgumentException.class,
            () ->
                outage(Duration.ofMinutes(30))
                    .retry(
                        () -> {
                          throw notFound;
                        })));
    assertThrows(
        StatusRuntimeException.class,
        () ->
            outage(Duration.ofMinutes(30))
                .retry(
                    () -> {
                      throw new StatusRuntimeException(Status.PERMISSION_DENIED);
                    }));
    assertTrue(slept.isEmpty());
  }

  @Test
  void givesUpAfterItsPatienceSayingTheRunIsNotAffected() {
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () ->
                outage(Duration.ZERO)
                    .retry(
                        () -> {
                          throw new StatusRuntimeException(Status.UNAVAILABLE);
                        }));
    assertTrue(e.getMessage().contains("the run itself is not affected"), e.getMessage());
  }
}
