package dev.quarry.activities.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CachingLlmClientTest {
  private static final String KEY = "sk-cache-test-key-0000SECRET";

  @StartStop private final MockWebServer server = new MockWebServer();
  @TempDir Path dir;

  /** What the endpoint's model listing names; a test swaps it to serve another model. */
  private volatile String served = "m";

  /** The status the model listing answers with (200: the listing above). */
  private volatile int listingStatus = 200;

  private final AtomicInteger posts = new AtomicInteger();

  /** Queued answers for completions; the model listing is answered from {@link #served}. */
  private final class Endpoint extends mockwebserver3.QueueDispatcher {
    @Override
    public MockResponse dispatch(mockwebserver3.RecordedRequest request)
        throws InterruptedException {
      if (request.getUrl().encodedPath().endsWith("/models")) {
        if (listingStatus != 200) {
          return new MockResponse.Builder().code(listingStatus).body("{}").build();
        }
        return new MockResponse.Builder()
            .code(200)
            .body(
                "{\"object\":\"list\",\"data\":[{\"id\":\"" + served + "\",\"object\":\"model\"}]}")
            .build();
      }
      posts.incrementAndGet();
      return super.dispatch(request);
    }
  }

  private OpenAiClient http;
  private CachingLlmClient client;
  private LlmResponseCache cache;

  @BeforeEach
  void setUp() {
    server.setDispatcher(new Endpoint());
    http =
        new OpenAiClient(
            new EndpointConfig(server.url("/").toString(), KEY, Duration.ofSeconds(5), 2),
            RetryPolicy.DEFAULT.withMaxAttempts(1));
    cache = new LlmResponseCache(dir.resolve("llm-cache"));
    client = new CachingLlmClient(http, cache, Duration.ZERO);
  }

  @AfterEach
  void tearDown() {
    http.close();
  }

  private static MockResponse ok(String text) {
    return new MockResponse.Builder()
        .code(200)
        .body(
            "{\"model\":\"m\",\"choices\":[{\"index\":0,\"message\":{\"content\":\""
                + text
                + "\"},\"text\":\""
                + text
                + "\"}],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":4}}")
        .build();
  }

  private static ChatRequest seeded(long seed) {
    return ChatRequest.of("m", List.of(ChatMessage.user("write a problem"))).withSeed(seed);
  }

  @Test
  void cacheHitAvoidsASecondRequest() throws Exception {
    server.enqueue(ok("answer"));

    LlmResponse first = client.chat(seeded(7));
    LlmResponse second = client.chat(seeded(7));

    assertEquals(first, second);
    assertEquals("answer", second.text());
    assertEquals(3, second.promptTokens());
    assertEquals(1, posts.get());
  }

  @Test
  void aRetryWithANewClientInstanceAlsoHitsTheCache() throws Exception {
    server.enqueue(ok("answer"));
    client.chat(seeded(7));

    OpenAiClient other =
        new OpenAiClient(
            EndpointConfig.of(server.url("/").toString()).withTimeout(Duration.ofSeconds(2)),
            RetryPolicy.DEFAULT.withMaxAttempts(1));
    try {
      LlmResponse again =
          new CachingLlmClient(other, new LlmResponseCache(cache.directory())).chat(seeded(7));
      assertEquals("answer", again.text());
    } finally {
      other.close();
    }
    assertEquals(1, posts.get(), "the API key is not part of the cache key");
  }

  @Test
  void anotherSeedOrParameterIsAnotherEntry() throws Exception {
    server.enqueue(ok("a"));
    server.enqueue(ok("b"));
    server.enqueue(ok("c"));

    assertEquals("a", client.chat(seeded(1)).text());
    assertEquals("b", client.chat(seeded(2)).text());
    assertEquals("c", client.chat(seeded(1).withTemperature(0.5)).text());
    assertEquals("a", client.chat(seeded(1)).text());
    assertEquals(3, posts.get());
  }

  @Test
  void unseededSamplingIsNeverCachedButGreedyIs() throws Exception {
    server.enqueue(ok("x"));
    server.enqueue(ok("y"));
    server.enqueue(ok("greedy"));
    ChatRequest unseeded = ChatRequest.of("m", List.of(ChatMessage.user("q")));

    assertEquals("x", client.chat(unseeded).text());
    assertEquals("y", client.chat(unseeded).text());
    assertEquals("greedy", client.chat(unseeded.withTemperature(0.0)).text());
    assertEquals("greedy", client.chat(unseeded.withTemperature(0.0)).text());
    assertEquals(3, posts.get());
  }

  @Test
  void completionsAreCachedSeparatelyFromChats() throws Exception {
    server.enqueue(ok("chat"));
    server.enqueue(ok("completion"));

    client.chat(seeded(1));
    assertEquals(
        "completion",
        client.complete(CompletionRequest.of("m", "write a problem").withSeed(1L)).text());
    assertEquals(
        "completion",
        client.complete(CompletionRequest.of("m", "write a problem").withSeed(1L)).text());
    assertEquals(2, posts.get());
  }

  @Test
  void filesNeverContainTheKeyAndWritesLeaveNoTempFiles() throws Exception {
    server.enqueue(ok("answer"));
    client.chat(seeded(9));

    List<Path> files;
    try (Stream<Path> walk = Files.walk(cache.directory())) {
      files = walk.filter(Files::isRegularFile).toList();
    }
    assertEquals(1, files.size(), files.toString());
    Path entry = files.get(0);
    assertTrue(entry.getFileName().toString().matches("[0-9a-f]{64}\\.json"), entry.toString());
    assertEquals(
        entry.getFileName().toString().substring(0, 2), entry.getParent().getFileName().toString());
    String content = Files.readString(entry, StandardCharsets.UTF_8);
    assertFalse(content.contains(KEY));
    assertFalse(content.contains("Authorization"));
    assertTrue(content.contains("write a problem"), "the request is stored for verification");
  }

  @Test
  void corruptEntryIsAMissAndIsRepaired() throws Exception {
    server.enqueue(ok("first"));
    server.enqueue(ok("second"));
    client.chat(seeded(5));
    Path entry = onlyFile();
    Files.writeString(entry, "{\"format\":1,\"key\":\"trunc");

    assertEquals("second", client.chat(seeded(5)).text());
    assertEquals("second", client.chat(seeded(5)).text());
    assertEquals(2, posts.get());
  }

  @Test
  void anotherModelServedAtTheSameUrlGetsNoStaleAnswer() throws Exception {
    // Model A answers and is cached; then model B is served at the same URL under the same
    // requested name (as Ollama or llama.cpp serve whatever is loaded): B must be asked.
    served = "model-a";
    server.enqueue(ok("from A"));
    assertEquals("from A", client.chat(seeded(3)).text());
    assertEquals("from A", client.chat(seeded(3)).text(), "same model: a hit");
    served = "model-b";
    server.enqueue(ok("from B"));
    assertEquals("from B", client.chat(seeded(3)).text());
    assertEquals(2, posts.get());
    served = "model-a";
    assertEquals("from A", client.chat(seeded(3)).text(), "A's entry is still A's");
  }

  @Test
  void anEndpointDownForItsListingFailsTheCallInsteadOfFilingTheAnswerElsewhere() throws Exception {
    // Undisturbed: the answer is filed under the listed model.
    server.enqueue(ok("answer"));
    client.chat(seeded(5));
    List<String> undisturbed = cacheFiles();

    // Fresh cache, and the endpoint fails its listing (down, overloaded): the call fails and is
    // retried, rather than keyed "unlisted", where a re-run would never find it.
    cache = new LlmResponseCache(dir.resolve("llm-cache-2"));
    client = new CachingLlmClient(http, cache, Duration.ZERO);
    listingStatus = 503;
    assertThrows(LlmUnavailableException.class, () -> client.chat(seeded(5)));
    assertEquals(1, posts.get(), "no chat request was sent while the listing failed");
    listingStatus = 200;
    server.enqueue(ok("answer"));
    client.chat(seeded(5));
    assertEquals(undisturbed, cacheFiles(), "the same answer under the same key");
  }

  @Test
  void anEndpointWithoutAListingIsKeyedUnlisted() throws Exception {
    listingStatus = 404;
    server.enqueue(ok("answer"));
    assertEquals("answer", client.chat(seeded(6)).text());
    assertEquals("answer", client.chat(seeded(6)).text(), "cached all the same");
    assertEquals(1, posts.get());
  }

  /** The cache's entry files, by name (the key). */
  private List<String> cacheFiles() throws IOException {
    try (var files = Files.walk(cache.directory())) {
      return files
          .filter(Files::isRegularFile)
          .map(f -> f.getFileName().toString())
          .sorted()
          .toList();
    }
  }

  @Test
  void everySamplingParameterIsPartOfTheKey() throws Exception {
    String[] texts = {"base", "topP", "maxTokens", "stop", "n", "schema"};
    for (String t : texts) {
      server.enqueue(ok(t));
    }
    ChatRequest base = seeded(4);
    assertEquals("base", client.chat(base).text());
    assertEquals("topP", client.chat(base.withTopP(0.9)).text());
    assertEquals("maxTokens", client.chat(base.withMaxTokens(17)).text());
    assertEquals("stop", client.chat(base.withStop(List.of("###"))).text());
    assertEquals("n", client.chat(base.withN(2)).text());
    assertEquals("schema", client.chat(base.withJsonSchema("{\"type\":\"object\"}")).text());
    assertEquals(6, posts.get());
  }

  @Test
  void keyIsStableAndIndependentOfFieldOrder() throws Exception {
    var json = new ObjectMapper();
    String url = "http://h:1/v1/chat/completions";
    String a = cache.key(url, json.readTree("{\"model\":\"m\",\"seed\":1,\"n\":1}"));
    String b = cache.key(url, json.readTree("{\"n\":1,\"seed\":1,\"model\":\"m\"}"));
    String c =
        cache.key(
            "http://other:1/v1/chat/completions",
            json.readTree("{\"model\":\"m\",\"seed\":1,\"n\":1}"));
    assertEquals(a, b);
    assertNotEquals(a, c);
    assertEquals(64, a.length());
  }

  private Path onlyFile() throws IOException {
    try (Stream<Path> walk = Files.walk(cache.directory())) {
      return walk.filter(Files::isRegularFile).findFirst().orElseThrow();
    }
  }
}
