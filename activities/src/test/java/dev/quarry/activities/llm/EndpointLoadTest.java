package dev.quarry.activities.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.quarry.activities.metrics.QuarryMeters;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Requests in flight and queued per endpoint, as {@link OpenAiClient} counts them for the gauges.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EndpointLoadTest {
  @StartStop private final MockWebServer server = new MockWebServer();

  @Test
  void requestsPastMaxConcurrencyAreQueuedAndTheCountsReturnToZero() throws Exception {
    CountDownLatch answer = new CountDownLatch(1);
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
            answer.await(30, TimeUnit.SECONDS); // held until the test has seen the counts
            return new MockResponse.Builder()
                .code(200)
                .addHeader("Content-Type", "application/json")
                .body(
                    "{\"id\":\"x\",\"object\":\"chat.completion\",\"model\":\"m\",\"choices\":[{\"index\":0,"
                        + "\"message\":{\"role\":\"assistant\",\"content\":\"ok\"},\"finish_reason\":\"stop\"}],"
                        + "\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1,\"total_tokens\":2}}")
                .build();
          }
        });
    EndpointLoad load = new EndpointLoad();
    ExecutorService callers = Executors.newFixedThreadPool(5);
    try (OpenAiClient client =
        new OpenAiClient(
                new EndpointConfig(server.url("/v1").toString(), null, Duration.ofSeconds(30), 2))
            .loadCountedIn(load)) {
      List<Future<LlmResponse>> calls = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        calls.add(
            callers.submit(
                () -> client.chat(ChatRequest.of("m", List.of(ChatMessage.user("hi"))))));
      }
      awaitEqual(2, load::inFlight, "2 of 5 hold the endpoint's 2 permits");
      awaitEqual(3, load::queued, "3 wait for a permit");
      answer.countDown();
      for (Future<LlmResponse> call : calls) {
        assertEquals("ok", call.get().text());
      }
      assertEquals(0, load.inFlight());
      assertEquals(0, load.queued());
      assertEquals(5, server.getRequestCount());
    } finally {
      callers.shutdownNow();
    }
  }

  @Test
  void aFailedRequestGivesItsCountBack() throws Exception {
    server.enqueue(
        new MockResponse.Builder().code(400).body("{\"error\":{\"message\":\"bad\"}}").build());
    EndpointLoad load = new EndpointLoad();
    try (OpenAiClient client =
        new OpenAiClient(
                new EndpointConfig(server.url("/v1").toString(), null, Duration.ofSeconds(5), 1))
            .loadCountedIn(load)) {
      assertThrows(
          LlmRequestRejectedException.class,
          () -> client.chat(ChatRequest.of("m", List.of(ChatMessage.user("hi")))));
    }
    assertEquals(0, load.inFlight());
    assertEquals(0, load.queued());
  }

  @Test
  void oneLoadPerEndpointSharedByItsRoles() {
    EndpointLoad a = QuarryMeters.endpointLoad("http://127.0.0.1:9/v1");
    assertSame(
        a, QuarryMeters.endpointLoad("http://127.0.0.1:9/v1"), "the same endpoint, whichever role");
    assertSame(
        a,
        QuarryMeters.endpointLoad("http://user:secret@127.0.0.1:9/v1?key=k"),
        "credentials and a query are not part of the endpoint (nor of its label)");
  }

  private static void awaitEqual(int expected, IntSupplier actual, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (actual.getAsInt() != expected && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertEquals(expected, actual.getAsInt(), what);
  }
}
