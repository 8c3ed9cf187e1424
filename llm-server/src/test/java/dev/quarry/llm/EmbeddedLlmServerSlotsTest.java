package dev.quarry.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.activities.llm.ChatMessage;
import dev.quarry.activities.llm.ChatRequest;
import dev.quarry.activities.llm.CompletionRequest;
import dev.quarry.activities.llm.EndpointConfig;
import dev.quarry.activities.llm.LlmResponse;
import dev.quarry.activities.llm.OpenAiClient;
import dev.quarry.activities.llm.RetryPolicy;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code --slots}: several generations at once on one model, on the tiny random-weight GGUF.
 *
 * <p>Each test loads its own engines and uses them one after the other, never two models at the
 * same time: java-llama.cpp 4.2.0 is not safe with two models computing concurrently in one process
 * (see {@link LlamaEngine}).
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class EmbeddedLlmServerSlotsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A started server on the tiny model, its engine, and a client allowed 16 calls at once. */
  private record Served(EmbeddedLlmServer server, LlamaEngine engine, OpenAiClient client)
      implements AutoCloseable {
    @Override
    public void close() {
      client.close();
      server.close();
    }
  }

  private static Served serve(int slots, int contextSize) throws IOException {
    // One thread: on the 2-vCPU CI box the tiny model decodes fastest that way, in batches too.
    LlamaEngine engine =
        LlamaEngine.load(
            new LlamaEngine.Options(
                EmbeddedLlmServerTest.tinyModel(), null, contextSize, 1, false, slots));
    EmbeddedLlmServer server = new EmbeddedLlmServer(engine, Duration.ofSeconds(5)).start(0);
    OpenAiClient client =
        new OpenAiClient(
            new EndpointConfig(server.baseUrl().toString(), null, Duration.ofSeconds(60), 16),
            RetryPolicy.DEFAULT.withMaxAttempts(1));
    return new Served(server, engine, client);
  }

  private static ChatRequest chat(long seed) {
    return ChatRequest.of(
            "tiny-test",
            List.of(ChatMessage.system("You write JSON."), ChatMessage.user("Go " + seed % 3)))
        .withMaxTokens(24)
        .withTemperature(0.9)
        .withSeed(seed);
  }

  /** Runs all {@code calls} at once (released together) and returns their results in order. */
  private static <T> List<T> concurrently(List<Callable<T>> calls) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(calls.size());
    CountDownLatch go = new CountDownLatch(1);
    try {
      List<Future<T>> futures = new ArrayList<>();
      for (Callable<T> c : calls) {
        futures.add(
            pool.submit(
                () -> {
                  go.await();
                  return c.call();
                }));
      }
      go.countDown();
      List<T> out = new ArrayList<>();
      for (Future<T> f : futures) {
        out.add(f.get(120, TimeUnit.SECONDS));
      }
      return out;
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void eightConcurrentChatRequestsOnTwoSlotsAllSucceed() throws Exception {
    try (Served s = serve(2, 0)) {
      List<Callable<LlmResponse>> calls = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        long seed = 100 + i;
        calls.add(() -> s.client().chat(chat(seed)));
      }

      List<LlmResponse> responses = concurrently(calls);

      assertEquals(8, responses.size());
      for (LlmResponse r : responses) {
        assertEquals(1, r.choices().size());
        assertTrue(r.promptTokens() > 0, "prompt tokens " + r.promptTokens());
        assertTrue(
            r.completionTokens() > 0 && r.completionTokens() <= 24,
            "completion " + r.completionTokens());
      }
      assertEquals(2, s.engine().peakConcurrentGenerations(), "both slots were used, never more");
      assertEquals(2, models(s).at("/data/0/meta/slots").asInt());
      assertEquals(4096, models(s).at("/data/0/meta/n_ctx").asInt(), "the context is per slot");
    }
  }

  @Test
  void sameSeedGivesTheSameTextWithTwoSlotsAsWithOne() throws Exception {
    int requests = 8;
    List<String> expected = new ArrayList<>();
    List<String> expectedPair;
    try (Served one = serve(1, 0)) {
      for (int i = 0; i < requests; i++) {
        expected.add(one.client().chat(chat(300 + i)).text());
      }
      expectedPair = one.client().chat(chat(300).withN(2)).choices();
    } // closed before the two-slot model computes anything

    try (Served two = serve(2, 0)) {
      List<Callable<List<String>>> calls = new ArrayList<>();
      for (int i = 0; i < requests; i++) {
        long seed = 300 + i;
        calls.add(() -> two.client().chat(chat(seed)).choices());
      }
      calls.add(() -> two.client().chat(chat(300).withN(2)).choices());

      List<List<String>> got = concurrently(calls);

      for (int i = 0; i < requests; i++) {
        assertEquals(List.of(expected.get(i)), got.get(i), "seed " + (300 + i));
      }
      assertEquals(expectedPair, got.get(requests), "n = 2 uses seeds 300 and 301 in one slot");
      assertEquals(2, two.engine().peakConcurrentGenerations());
    }
  }

  @Test
  void eachSlotKeepsTheWholeRequestedContext() throws Exception {
    // 256 tokens per slot. Had llama.cpp's division of the context among slots not been
    // compensated, each slot would hold 128 tokens and these ~230-token requests would be cut.
    String prompt = "x".repeat(200);
    CompletionRequest request =
        CompletionRequest.of("tiny-test", prompt)
            .withMaxTokens(24)
            .withTemperature(0.9)
            .withSeed(11L);
    String expected;
    try (Served one = serve(1, 256)) {
      expected = one.client().complete(request).text();
    }
    try (Served two = serve(2, 256)) {
      assertEquals(256, models(two).at("/data/0/meta/n_ctx").asInt());
      Callable<LlmResponse> call = () -> two.client().complete(request);
      List<Callable<LlmResponse>> calls = List.of(call, call);

      List<LlmResponse> got = concurrently(calls);

      for (LlmResponse r : got) {
        assertEquals(
            prompt.length() + 2, r.promptTokens(), "one token per character, a leading space, BOS");
        assertEquals(expected, r.text());
      }
      assertEquals(
          2,
          two.engine().peakConcurrentGenerations(),
          "both long requests were in the context at once");
    }
  }

  @Test
  void twoConcurrentRequestsOverlapInTime() throws Exception {
    try (Served s = serve(2, 0)) {
      CompletionRequest request =
          CompletionRequest.of("tiny-test", "Once upon a time")
              .withMaxTokens(400)
              .withTemperature(0.9);
      s.client().complete(request.withSeed(20L)); // warm-up: JIT, connections

      // Best of three: a timing comparison on a shared 2-vCPU machine needs some slack.
      List<String> attempts = new ArrayList<>();
      boolean faster = false;
      for (int attempt = 0; attempt < 3 && !faster; attempt++) {
        long sumAlone = 0;
        for (long seed : new long[] {21, 22}) {
          long start = System.nanoTime();
          s.client().complete(request.withSeed(seed));
          sumAlone += System.nanoTime() - start;
        }
        List<Callable<long[]>> calls = new ArrayList<>();
        for (long seed : new long[] {21, 22}) {
          calls.add(
              () -> {
                long start = System.nanoTime();
                LlmResponse r = s.client().complete(request.withSeed(seed));
                return new long[] {start, System.nanoTime(), r.completionTokens()};
              });
        }
        long start = System.nanoTime();
        List<long[]> both = concurrently(calls);
        long together = System.nanoTime() - start;

        // Server side: both generations were in flight at once, i.e. the second one started
        // before the first one finished.
        assertEquals(2, s.engine().peakConcurrentGenerations());
        long firstEnd = Math.min(both.get(0)[1], both.get(1)[1]);
        long lastStart = Math.max(both.get(0)[0], both.get(1)[0]);
        assertTrue(lastStart < firstEnd, "the calls overlap");
        attempts.add(
            String.format(
                "together %.1f ms vs one after the other %.1f ms (%d + %d tokens)",
                together / 1e6, sumAlone / 1e6, both.get(0)[2], both.get(1)[2]));
        faster = together < sumAlone;
      }
      System.out.println("overlap: " + attempts);
      // And batching paid off: both at once took less than one after the other.
      assertTrue(faster, attempts.toString());
    }
  }

  @Test
  void concurrentRequestsWithTheSameNewSchemaAllGetConstrainedJson() throws Exception {
    String schema =
        "{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"integer\"},"
            + "\"tag\":{\"type\":\"string\",\"maxLength\":5}},"
            + "\"required\":[\"id\",\"tag\"],\"additionalProperties\":false}";
    try (Served s = serve(2, 0)) {
      List<Callable<LlmResponse>> calls = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        long seed = 700 + i;
        calls.add(() -> s.client().chat(chat(seed).withJsonSchema(schema).withMaxTokens(120)));
      }

      for (LlmResponse r : concurrently(calls)) {
        JsonNode parsed = JSON.readTree(r.text());
        assertTrue(parsed.get("id").isIntegralNumber(), r.text());
        assertTrue(parsed.get("tag").isTextual(), r.text());
        assertEquals(2, parsed.size(), r.text());
      }
    }
  }

  @Test
  void oneSlotRunsOneGenerationAtATime() throws Exception {
    try (Served s = serve(1, 0)) {
      List<Callable<LlmResponse>> calls = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        long seed = 500 + i;
        calls.add(() -> s.client().chat(chat(seed)));
      }

      concurrently(calls);

      assertEquals(1, s.engine().peakConcurrentGenerations());
    }
  }

  private static JsonNode models(Served s) throws IOException {
    OkHttpClient http = new OkHttpClient();
    try (Response r =
        http.newCall(new Request.Builder().url(s.server().baseUrl() + "/v1/models").build())
            .execute()) {
      assertEquals(200, r.code());
      return JSON.readTree(r.body().string());
    } finally {
      http.dispatcher().executorService().shutdown();
      http.connectionPool().evictAll();
    }
  }
}
