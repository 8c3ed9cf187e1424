package dev.quarry.activities.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link EndpointConfig#requestsPerSecond()} as {@link OpenAiClient} enforces it. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OpenAiClientRateLimitTest {
  private static final RetryPolicy FAST =
      new RetryPolicy(4, Duration.ofMillis(10), Duration.ofMillis(40), Duration.ofSeconds(60));

  @StartStop private final MockWebServer server = new MockWebServer();

  private static MockResponse chatOk() {
    return new MockResponse.Builder()
        .code(200)
        .addHeader("Content-Type", "application/json")
        .body(
            "{\"id\":\"x\",\"object\":\"chat.completion\",\"model\":\"m\",\"choices\":[{\"index\":0,"
                + "\"message\":{\"role\":\"assistant\",\"content\":\"ok\"},\"finish_reason\":\"stop\"}],"
                + "\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1,\"total_tokens\":2}}")
        .build();
  }

  private static MockResponse status(int code) {
    return new MockResponse.Builder()
        .code(code)
        .addHeader("Content-Type", "application/json")
        .body("{\"error\":{\"message\":\"busy\"}}")
        .build();
  }

  private static ChatRequest chat() {
    return ChatRequest.of("m", List.of(ChatMessage.user("hi")));
  }

  @Test
  void fiveConcurrentRequestsAtTenPerSecondAreSpreadOverFourHundredMilliseconds() throws Exception {
    List<Long> arrivals = new CopyOnWriteArrayList<>();
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            arrivals.add(System.nanoTime());
            return chatOk();
          }
        });
    EndpointConfig config =
        new EndpointConfig(server.url("/").toString(), null, Duration.ofSeconds(10), 5)
            .withRequestsPerSecond(10);
    ExecutorService pool = Executors.newFixedThreadPool(5);
    try (OpenAiClient client = new OpenAiClient(config, FAST)) {
      client.chat(chat()); // warm-up outside the clock: connection, class loading
      Thread.sleep(150); // let the warm-up's interval pass, so the five start from a clean slate
      arrivals.clear();

      long start = System.nanoTime();
      List<Future<LlmResponse>> futures = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        futures.add(pool.submit(() -> client.chat(chat())));
      }
      for (Future<LlmResponse> f : futures) {
        assertEquals("ok", f.get(20, TimeUnit.SECONDS).text());
      }
      double seconds = (System.nanoTime() - start) / 1e9;

      assertTrue(seconds >= 0.39, "5 requests at 10/s take at least 0.4 s, took " + seconds);
      assertEquals(5, arrivals.size());
      List<Long> sorted = new ArrayList<>(arrivals);
      sorted.sort(null);
      double span = (sorted.get(4) - sorted.get(0)) / 1e9;
      // Each start is >= 100 ms after the previous one; arrivals add some network jitter.
      assertTrue(span >= 0.35, "the server saw them spread over " + span + " s");
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void everyRetryWaitsForTheRateLimitToo() throws Exception {
    server.enqueue(status(503));
    server.enqueue(status(429));
    server.enqueue(chatOk());
    List<Long> limiterWaits = new CopyOnWriteArrayList<>();
    List<Duration> backoffs = new CopyOnWriteArrayList<>();
    // The limiter's clock stands still, so its waits count from t = 0: attempt 2 is due at 0.5 s
    // and
    // attempt 3 at 1 s, whatever the (fake) backoff in between.
    RateLimiter limiter = new RateLimiter(2, () -> 0L, limiterWaits::add);
    EndpointConfig config =
        new EndpointConfig(server.url("/").toString(), null, Duration.ofSeconds(5), 1)
            .withRequestsPerSecond(2);
    try (OpenAiClient client =
        new OpenAiClient(
            config, FAST, new OkHttpClient(), backoffs::add, Clock.systemUTC(), limiter)) {
      assertEquals("ok", client.chat(chat()).text());
    }

    assertEquals(3, server.getRequestCount());
    assertEquals(
        List.of(500_000_000L, 1_000_000_000L), limiterWaits, "attempts 2 and 3 were spaced");
    assertEquals(2, backoffs.size(), "the retry backoff is separate from the rate limit");
  }

  @Test
  void interruptedWhileWaitingIsUnavailableAndFreesTheConcurrencyPermit() throws Exception {
    server.enqueue(chatOk());
    server.enqueue(chatOk());
    AtomicBoolean interruptNextWait = new AtomicBoolean();
    List<Long> limiterWaits = new CopyOnWriteArrayList<>();
    RateLimiter limiter =
        new RateLimiter(
            1,
            () -> 0L,
            nanos -> {
              if (interruptNextWait.getAndSet(false)) {
                throw new InterruptedException("test");
              }
              limiterWaits.add(nanos);
            });
    EndpointConfig config =
        new EndpointConfig(server.url("/").toString(), null, Duration.ofSeconds(5), 1)
            .withRequestsPerSecond(1);
    try (OpenAiClient client =
        new OpenAiClient(config, FAST, new OkHttpClient(), d -> {}, Clock.systemUTC(), limiter)) {
      assertEquals("ok", client.chat(chat()).text()); // the first permit needs no wait

      interruptNextWait.set(true);
      LlmUnavailableException e =
          assertThrows(LlmUnavailableException.class, () -> client.chat(chat()));
      assertTrue(Thread.interrupted(), "the interrupt flag is restored");
      assertTrue(e.getMessage().contains("rate limit"), e.getMessage());
      assertEquals(1, server.getRequestCount(), "nothing is sent without the limiter's turn");

      // maxConcurrency is 1: this call would hang if the interrupted one had kept its permit.
      assertEquals("ok", client.chat(chat()).text());
    }
    assertEquals(2, server.getRequestCount());
    assertEquals(
        List.of(1_000_000_000L),
        limiterWaits,
        "it took the instant the interrupted call gave back");
  }

  @Test
  void endpointConfigKeepsTheRateThroughItsWithersAndValidatesIt() {
    EndpointConfig base = new EndpointConfig("http://127.0.0.1:1", null, Duration.ofSeconds(1), 2);
    assertEquals(0, base.requestsPerSecond(), "the 4-argument constructor means unlimited");
    assertEquals(0, EndpointConfig.of("http://127.0.0.1:1").requestsPerSecond());

    EndpointConfig limited = base.withRequestsPerSecond(2.5);
    assertTrue(limited.hasRateLimit());
    assertEquals(
        2.5,
        limited
            .withApiKey("k")
            .withTimeout(Duration.ofSeconds(3))
            .withMaxConcurrency(7)
            .requestsPerSecond());
    assertTrue(limited.toString().contains("requestsPerSecond=2.5"), limited.toString());
    assertTrue(base.toString().contains("requestsPerSecond=unlimited"), base.toString());

    for (double bad : new double[] {-1, Double.NaN, Double.POSITIVE_INFINITY, 1e-9}) {
      assertThrows(
          IllegalArgumentException.class, () -> base.withRequestsPerSecond(bad), "rate " + bad);
    }
  }
}
