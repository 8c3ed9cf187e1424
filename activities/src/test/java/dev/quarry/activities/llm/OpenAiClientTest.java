package dev.quarry.activities.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OpenAiClientTest {
  private static final String KEY = "sk-test-0123456789abcdefSECRET";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant NOW = Instant.parse("2025-01-01T00:00:00Z");
  private static final RetryPolicy FAST =
      new RetryPolicy(4, Duration.ofMillis(10), Duration.ofMillis(40), Duration.ofSeconds(60));

  @StartStop private final MockWebServer server = new MockWebServer();

  private final List<Duration> sleeps = new CopyOnWriteArrayList<>();
  private OpenAiClient client;

  @AfterEach
  void closeClient() {
    if (client != null) {
      client.close();
    }
  }

  private OpenAiClient client(EndpointConfig config, RetryPolicy retry) {
    client =
        new OpenAiClient(
            config, retry, new OkHttpClient(), sleeps::add, Clock.fixed(NOW, ZoneOffset.UTC));
    return client;
  }

  private OpenAiClient client() {
    return client(
        new EndpointConfig(server.url("/").toString(), KEY, Duration.ofSeconds(5), 4), FAST);
  }

  private static MockResponse json(int code, String body) {
    return new MockResponse.Builder()
        .code(code)
        .addHeader("Content-Type", "application/json")
        .body(body)
        .build();
  }

  private static MockResponse chatOk(String... texts) {
    StringBuilder choices = new StringBuilder();
    for (int i = texts.length - 1; i >= 0; i--) { // reversed on purpose: order comes from "index"
      if (choices.length() > 0) {
        choices.append(',');
      }
      choices
          .append("{\"index\":")
          .append(i)
          .append(",\"message\":{\"role\":\"assistant\",\"content\":\"")
          .append(texts[i])
          .append("\"},\"finish_reason\":\"stop\"}");
    }
    return json(
        200,
        "{\"id\":\"x\",\"object\":\"chat.completion\",\"model\":\"served-model\",\"choices\":["
            + choices
            + "],\"usage\":{\"prompt_tokens\":11,\"completion_tokens\":7,\"total_tokens\":18}}");
  }

  private static ChatRequest chat() {
    return ChatRequest.of("m", List.of(ChatMessage.system("be brief"), ChatMessage.user("hi")));
  }

  @Test
  void chatSendsOpenAiRequestAndParsesChoicesInIndexOrder() throws Exception {
    server.enqueue(chatOk("first", "second"));
    ChatRequest request =
        chat()
            .withN(2)
            .withSeed(42L)
            .withTemperature(0.7)
            .withTopP(0.9)
            .withMaxTokens(64)
            .withStop(List.of("###"))
            .withJsonSchema(
                "{\"title\":\"Test inputs\",\"type\":\"object\",\"properties\":{\"inputs\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}}},\"required\":[\"inputs\"]}");

    LlmResponse response = client().chat(request);

    assertEquals(List.of("first", "second"), response.choices());
    assertEquals(11, response.promptTokens());
    assertEquals(7, response.completionTokens());
    assertEquals("served-model", response.model());

    RecordedRequest recorded = server.takeRequest();
    assertEquals("POST", recorded.getMethod());
    assertEquals("/v1/chat/completions", recorded.getUrl().encodedPath());
    assertEquals("Bearer " + KEY, recorded.getHeaders().get("Authorization"));
    JsonNode body = JSON.readTree(recorded.getBody().utf8());
    assertEquals("m", body.get("model").asText());
    assertEquals("system", body.at("/messages/0/role").asText());
    assertEquals("hi", body.at("/messages/1/content").asText());
    assertEquals(2, body.get("n").asInt());
    assertEquals(42, body.get("seed").asLong());
    assertEquals(0.7, body.get("temperature").asDouble());
    assertEquals(0.9, body.get("top_p").asDouble());
    assertEquals(64, body.get("max_tokens").asInt());
    assertEquals("###", body.at("/stop/0").asText());
    assertEquals("json_schema", body.at("/response_format/type").asText());
    assertEquals("Test_inputs", body.at("/response_format/json_schema/name").asText());
    assertTrue(body.at("/response_format/json_schema/strict").asBoolean());
    assertEquals("inputs", body.at("/response_format/json_schema/schema/required/0").asText());
  }

  @Test
  void completionUsesRawPromptRouteAndKeepsAV1Base() throws Exception {
    server.enqueue(
        json(
            200,
            "{\"model\":\"m\",\"choices\":[{\"index\":0,\"text\":\" world\",\"finish_reason\":\"length\"}],"
                + "\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":2}}"));
    client(EndpointConfig.of(server.url("/v1/").toString()), FAST);

    LlmResponse response = client.complete(CompletionRequest.of("m", "hello").withSeed(1L));

    assertEquals(" world", response.text());
    RecordedRequest recorded = server.takeRequest();
    assertEquals("/v1/completions", recorded.getUrl().encodedPath());
    assertNull(recorded.getHeaders().get("Authorization"), "no key, no auth header");
    JsonNode body = JSON.readTree(recorded.getBody().utf8());
    assertEquals("hello", body.get("prompt").asText());
    assertFalse(body.has("messages"));
    assertFalse(body.has("temperature"), "unset parameters are left to the server");
  }

  @Test
  void retries429WithRetryAfterSecondsThenSucceeds() throws Exception {
    server.enqueue(
        new MockResponse.Builder()
            .code(429)
            .addHeader("Retry-After", "2")
            .body("slow down")
            .build());
    server.enqueue(chatOk("ok"));

    assertEquals("ok", client().chat(chat()).text());
    assertEquals(2, server.getRequestCount());
    assertEquals(List.of(Duration.ofSeconds(2)), sleeps);
  }

  @Test
  void retries429WithRetryAfterHttpDateThenSucceeds() throws Exception {
    String date =
        DateTimeFormatter.RFC_1123_DATE_TIME.format(
            ZonedDateTime.ofInstant(NOW.plusSeconds(3), ZoneOffset.UTC));
    server.enqueue(new MockResponse.Builder().code(429).addHeader("Retry-After", date).build());
    server.enqueue(chatOk("ok"));

    assertEquals("ok", client().chat(chat()).text());
    assertEquals(List.of(Duration.ofSeconds(3)), sleeps);
  }

  @Test
  void retries429WithoutRetryAfterUsingJitteredBackoff() throws Exception {
    server.enqueue(json(429, "{\"error\":{\"message\":\"rate limited\"}}"));
    server.enqueue(json(429, "{\"error\":{\"message\":\"rate limited\"}}"));
    server.enqueue(chatOk("ok"));

    assertEquals("ok", client().chat(chat()).text());
    assertEquals(3, server.getRequestCount());
    assertEquals(2, sleeps.size());
    // attempt 1 -> 10 ms base, attempt 2 -> 20 ms; equal jitter keeps at least half of each.
    assertTrue(sleeps.get(0).toMillis() >= 5 && sleeps.get(0).toMillis() <= 10, sleeps.toString());
    assertTrue(sleeps.get(1).toMillis() >= 10 && sleeps.get(1).toMillis() <= 20, sleeps.toString());
  }

  @Test
  void retries500ThenSucceeds() throws Exception {
    server.enqueue(json(500, "{\"error\":{\"message\":\"CUDA out of memory\"}}"));
    server.enqueue(chatOk("ok"));

    assertEquals("ok", client().chat(chat()).text());
    assertEquals(2, server.getRequestCount());
  }

  @Test
  void givesUpAfterMaxAttemptsWithRetryableException() {
    for (int i = 0; i < 4; i++) {
      server.enqueue(json(503, "{\"error\":{\"message\":\"overloaded\"}}"));
    }
    LlmUnavailableException e =
        assertThrows(LlmUnavailableException.class, () -> client().chat(chat()));

    assertTrue(e.isRetryable());
    assertEquals(503, e.status());
    assertEquals(4, server.getRequestCount());
    assertEquals(3, sleeps.size(), "no sleep after the last attempt");
    assertTrue(e.getMessage().contains("after 4 attempts"), e.getMessage());
    assertTrue(e.getMessage().contains("overloaded"), e.getMessage());
  }

  @Test
  void retryAfterLongerThanTheInProcessLimitFailsAtOnceWithTheHint() {
    server.enqueue(new MockResponse.Builder().code(429).addHeader("Retry-After", "3600").build());

    LlmUnavailableException e =
        assertThrows(LlmUnavailableException.class, () -> client().chat(chat()));

    assertEquals(1, server.getRequestCount());
    assertEquals(Duration.ofHours(1), e.retryAfter().orElseThrow());
    assertTrue(sleeps.isEmpty());
  }

  @Test
  void slowResponsePastTheTimeoutIsRetriedThenSucceeds() throws Exception {
    server.enqueue(new MockResponse.Builder().headersDelay(3, TimeUnit.SECONDS).body("{}").build());
    server.enqueue(chatOk("fast"));
    client(new EndpointConfig(server.url("/").toString(), null, Duration.ofMillis(400), 4), FAST);

    assertEquals("fast", client.chat(chat()).text());
    assertEquals(2, server.getRequestCount());
  }

  @Test
  void slowResponsesEverywhereEndInUnavailable() {
    for (int i = 0; i < 2; i++) {
      server.enqueue(
          new MockResponse.Builder().headersDelay(3, TimeUnit.SECONDS).body("{}").build());
    }
    client(
        new EndpointConfig(server.url("/").toString(), null, Duration.ofMillis(300), 4),
        FAST.withMaxAttempts(2));

    long start = System.nanoTime();
    LlmUnavailableException e =
        assertThrows(LlmUnavailableException.class, () -> client.chat(chat()));
    long elapsedMs = (System.nanoTime() - start) / 1_000_000;

    assertTrue(e.getMessage().contains("timed out"), e.getMessage());
    assertEquals(0, e.status());
    assertTrue(elapsedMs < 2500, "each attempt is cut at the timeout, took " + elapsedMs + " ms");
  }

  @Test
  void truncatedJsonIsUnavailableWithAClearMessage() {
    server.enqueue(json(200, "{\"choices\":[{\"index\":0,\"message\":{\"content\":\"abc"));

    LlmUnavailableException e =
        assertThrows(LlmUnavailableException.class, () -> client().chat(chat()));

    assertTrue(e.getMessage().contains("invalid or truncated JSON"), e.getMessage());
    assertEquals(
        1, server.getRequestCount(), "a complete HTTP response is not re-sent by the client");
  }

  @Test
  void emptyChoicesIsAnAnswerWithNoReply() throws Exception {
    // A content filter or proxy may answer 200 with no choice: fewer replies, not a server fault.
    server.enqueue(json(200, "{\"model\":\"m\",\"choices\":[]}"));

    LlmResponse response = client().chat(chat());

    assertTrue(response.choices().isEmpty());
    assertNull(response.text());
  }

  @Test
  void choiceWithoutContentIsAReplyWithNoTextAndItsFinishReason() throws Exception {
    server.enqueue(
        json(
            200,
            "{\"choices\":["
                + "{\"index\":1,\"message\":{\"role\":\"assistant\",\"content\":\"cut\"},\"finish_reason\":\"length\"},"
                + "{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":null,\"refusal\":\"no\"}}]}"));

    LlmResponse response = client().chat(chat());

    assertEquals(Arrays.asList(null, "cut"), response.choices());
    assertEquals(Arrays.asList("refusal", "length"), response.finishReasons());
  }

  @Test
  void aContentThatIsNotTextIsUnavailable() {
    server.enqueue(json(200, "{\"choices\":[{\"index\":0,\"message\":{\"content\":{\"x\":1}}}]}"));

    LlmUnavailableException e =
        assertThrows(LlmUnavailableException.class, () -> client().chat(chat()));

    assertTrue(e.getMessage().contains("message.content"), e.getMessage());
  }

  @Test
  void badRequestFailsFastWithTheServersMessage() {
    server.enqueue(
        json(
            400,
            "{\"error\":{\"message\":\"max_tokens must be at least 1\",\"type\":\"invalid_request_error\"}}"));

    LlmRequestRejectedException e =
        assertThrows(LlmRequestRejectedException.class, () -> client().chat(chat()));

    assertFalse(e.isRetryable());
    assertEquals(400, e.status());
    assertEquals("max_tokens must be at least 1", e.serverMessage());
    assertTrue(e.getMessage().contains("HTTP 400: max_tokens must be at least 1"), e.getMessage());
    assertEquals(1, server.getRequestCount());
    assertTrue(sleeps.isEmpty());
  }

  @Test
  void notFoundIsRejectedWithAPlainTextBody() {
    server.enqueue(new MockResponse.Builder().code(404).body("no such route").build());

    LlmRequestRejectedException e =
        assertThrows(
            LlmRequestRejectedException.class,
            () -> client().complete(CompletionRequest.of("m", "p")));

    assertEquals(404, e.status());
    assertEquals("no such route", e.serverMessage());
  }

  @Test
  void apiKeyGoesInTheHeaderButNeverIntoMessages() throws Exception {
    server.enqueue(
        json(401, "{\"error\":{\"message\":\"Incorrect API key provided: " + KEY + "\"}}"));

    LlmRequestRejectedException e =
        assertThrows(LlmRequestRejectedException.class, () -> client().chat(chat()));

    assertEquals("Bearer " + KEY, server.takeRequest().getHeaders().get("Authorization"));
    assertEquals(401, e.status());
    assertFalse(e.getMessage().contains(KEY), e.getMessage());
    assertFalse(e.serverMessage().contains(KEY), e.serverMessage());
    assertFalse(e.getMessage().contains(KEY.substring(0, KEY.length() / 2)), e.getMessage());
    assertTrue(e.getMessage().contains("Incorrect API key provided: ****"), e.getMessage());
    assertFalse(client.config().toString().contains(KEY));
    assertFalse(client.toString().contains(KEY));
  }

  @Test
  void connectionRefusedIsRetriedThenUnavailable() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    client(
        new EndpointConfig("http://127.0.0.1:" + port, KEY, Duration.ofSeconds(2), 1),
        FAST.withMaxAttempts(3));

    LlmUnavailableException e =
        assertThrows(LlmUnavailableException.class, () -> client.chat(chat()));

    assertEquals(2, sleeps.size());
    assertTrue(e.getMessage().contains("after 3 attempts"), e.getMessage());
    assertFalse(e.getMessage().contains(KEY));
  }

  @Test
  void concurrencyIsBoundedPerEndpoint() throws Exception {
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger maxInFlight = new AtomicInteger();
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
            int now = inFlight.incrementAndGet();
            maxInFlight.accumulateAndGet(now, Math::max);
            Thread.sleep(150);
            inFlight.decrementAndGet();
            return chatOk("ok");
          }
        });
    client(new EndpointConfig(server.url("/").toString(), null, Duration.ofSeconds(10), 2), FAST);

    ExecutorService pool = Executors.newFixedThreadPool(6);
    try {
      List<Future<LlmResponse>> futures = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        futures.add(pool.submit(() -> client.chat(chat())));
      }
      for (Future<LlmResponse> f : futures) {
        assertEquals("ok", f.get(20, TimeUnit.SECONDS).text());
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(2, maxInFlight.get());
  }

  @Test
  void retryAfterParsing() {
    OpenAiClient c = client();
    assertEquals(Duration.ofSeconds(7), c.retryAfter(" 7 "));
    assertEquals(Duration.ZERO, c.retryAfter("-3"));
    assertEquals(
        Duration.ZERO, c.retryAfter("Wed, 21 Oct 2015 07:28:00 GMT"), "a past date means now");
    assertNull(c.retryAfter("soon"));
    assertNull(c.retryAfter(null));
  }

  @Test
  void backoffIsExponentialCappedAndJittered() {
    RetryPolicy p =
        new RetryPolicy(10, Duration.ofMillis(100), Duration.ofMillis(1000), Duration.ZERO);
    assertEquals(50, p.backoff(1, 0.0).toMillis());
    assertEquals(100, p.backoff(1, 0.9999).toMillis());
    assertEquals(400, p.backoff(3, 0.9999).toMillis());
    assertEquals(1000, p.backoff(9, 0.9999).toMillis());
    assertEquals(1000, p.backoff(200, 0.9999).toMillis());
  }
}
