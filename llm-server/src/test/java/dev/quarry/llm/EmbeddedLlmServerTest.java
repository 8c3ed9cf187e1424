package dev.quarry.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.activities.llm.ChatMessage;
import dev.quarry.activities.llm.ChatRequest;
import dev.quarry.activities.llm.CompletionRequest;
import dev.quarry.activities.llm.EndpointConfig;
import dev.quarry.activities.llm.LlmRequestRejectedException;
import dev.quarry.activities.llm.LlmResponse;
import dev.quarry.activities.llm.OpenAiClient;
import dev.quarry.activities.llm.RetryPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The embedded server end to end, on a tiny random-weight GGUF (scripts/ensure-tiny-model.sh): real
 * llama.cpp inference, real HTTP, the activities' {@link OpenAiClient} as the client. The model's
 * text is gibberish; what is checked is the protocol, determinism and grammar constraints.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
public class EmbeddedLlmServerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final MediaType JSON_TYPE = MediaType.get("application/json");

  private static EmbeddedLlmServer server;
  private static OpenAiClient client;
  private static OkHttpClient http;
  private static String base;

  public static Path tinyModel() {
    String configured = System.getProperty("quarry.test.gguf");
    if (configured == null || configured.isBlank()) {
      configured = System.getenv("QUARRY_TEST_GGUF");
    }
    Path path =
        configured != null && !configured.isBlank()
            ? Path.of(configured)
            : Path.of("..", ".quarry", "models", "tiny-test.gguf");
    if (!Files.isRegularFile(path)) {
      fail(
          "test model "
              + path.toAbsolutePath().normalize()
              + " is missing: run scripts/ensure-tiny-model.sh from the repository root"
              + " (or point -Dquarry.test.gguf / QUARRY_TEST_GGUF at a GGUF file)");
    }
    return path;
  }

  @BeforeAll
  static void start() throws IOException {
    LlamaEngine engine = LlamaEngine.load(new LlamaEngine.Options(tinyModel(), null, 0, 2, false));
    server = new EmbeddedLlmServer(engine, Duration.ofSeconds(5)).start(0);
    base = server.baseUrl().toString();
    client =
        new OpenAiClient(
            new EndpointConfig(base, null, Duration.ofSeconds(60), 4),
            RetryPolicy.DEFAULT.withMaxAttempts(1));
    http = new OkHttpClient.Builder().callTimeout(Duration.ofSeconds(60)).build();
  }

  @AfterAll
  static void stop() {
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private static ChatRequest chat(String user) {
    return ChatRequest.of(
            "tiny-test", List.of(ChatMessage.system("You write JSON."), ChatMessage.user(user)))
        .withMaxTokens(16)
        .withTemperature(0.8);
  }

  private static Response post(String path, String body) throws IOException {
    return http.newCall(
            new Request.Builder()
                .url(base + path)
                .post(RequestBody.create(body, JSON_TYPE))
                .build())
        .execute();
  }

  private static JsonNode get(String path) throws IOException {
    try (Response r = http.newCall(new Request.Builder().url(base + path).build()).execute()) {
      assertEquals(200, r.code());
      return JSON.readTree(r.body().string());
    }
  }

  @Test
  void modelsListsTheLoadedModel() throws IOException {
    JsonNode models = get("/v1/models");
    assertEquals("list", models.get("object").asText());
    assertEquals(1, models.get("data").size());
    assertEquals("tiny-test", models.at("/data/0/id").asText());
    assertEquals("model", models.at("/data/0/object").asText());
    assertEquals(4096, models.at("/data/0/meta/n_ctx").asInt());
  }

  @Test
  void healthIsOk() throws IOException {
    assertEquals("ok", get("/health").get("status").asText());
  }

  @Test
  void chatWithNTwoReturnsTwoChoicesAndRealUsage() throws Exception {
    LlmResponse r = client.chat(chat("Say hello.").withN(2).withSeed(7L));

    assertEquals(2, r.choices().size());
    assertEquals("tiny-test", r.model());
    assertTrue(r.promptTokens() > 0, "prompt tokens " + r.promptTokens());
    assertTrue(r.completionTokens() > 0, "completion tokens " + r.completionTokens());
    assertTrue(r.completionTokens() <= 2 * 16, "at most n * max_tokens: " + r.completionTokens());
  }

  @Test
  void chatResponseHasOpenAiShape() throws IOException {
    try (Response r =
        post(
            "/v1/chat/completions",
            "{\"model\":\"anything\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":4,\"seed\":1}")) {
      assertEquals(200, r.code());
      JsonNode body = JSON.readTree(r.body().string());
      assertEquals("chat.completion", body.get("object").asText());
      assertTrue(body.get("id").asText().startsWith("chatcmpl-"));
      assertEquals("assistant", body.at("/choices/0/message/role").asText());
      assertTrue(body.at("/choices/0/message/content").isTextual());
      assertTrue(List.of("stop", "length").contains(body.at("/choices/0/finish_reason").asText()));
      JsonNode usage = body.get("usage");
      assertEquals(
          usage.get("prompt_tokens").asInt() + usage.get("completion_tokens").asInt(),
          usage.get("total_tokens").asInt());
    }
  }

  @Test
  void sameSeedGivesTheSameTextAndNUsesConsecutiveSeeds() throws Exception {
    LlmResponse a = client.chat(chat("Pick a word.").withSeed(1234L));
    LlmResponse b = client.chat(chat("Pick a word.").withSeed(1234L));
    LlmResponse other = client.chat(chat("Pick a word.").withSeed(98765L));
    LlmResponse pair = client.chat(chat("Pick a word.").withN(2).withSeed(1233L));

    assertEquals(a.text(), b.text());
    assertEquals(a.completionTokens(), b.completionTokens());
    assertNotEquals(a.text(), other.text());
    assertEquals(a.text(), pair.choices().get(1), "choice i is sampled with seed + i");
  }

  @Test
  void jsonSchemaConstrainedOutputParsesAndHasTheRequiredKeys() throws Exception {
    String schema =
        "{\"type\":\"object\",\"properties\":{"
            + "\"name\":{\"type\":\"string\",\"maxLength\":12},"
            + "\"ok\":{\"type\":\"boolean\"},"
            + "\"inputs\":{\"type\":\"array\",\"items\":{\"type\":\"string\",\"maxLength\":6},\"maxItems\":3}},"
            + "\"required\":[\"name\",\"ok\",\"inputs\"],\"additionalProperties\":false}";
    for (long seed = 1; seed <= 3; seed++) {
      LlmResponse r =
          client.chat(
              chat("Describe a test case.")
                  .withJsonSchema(schema)
                  .withSeed(seed)
                  .withMaxTokens(200));
      JsonNode parsed = JSON.readTree(r.text());
      assertTrue(parsed.isObject(), r.text());
      assertTrue(parsed.get("name").isTextual(), r.text());
      assertTrue(parsed.get("ok").isBoolean(), r.text());
      assertTrue(parsed.get("inputs").isArray(), r.text());
      assertEquals(3, parsed.size(), r.text());
    }
  }

  @Test
  void jsonObjectFormatStartsAnObject() throws IOException {
    try (Response r =
        post(
            "/v1/chat/completions",
            "{\"messages\":[{\"role\":\"user\",\"content\":\"json\"}],\"max_tokens\":8,\"seed\":2,"
                + "\"response_format\":{\"type\":\"json_object\"}}")) {
      assertEquals(200, r.code());
      String content = JSON.readTree(r.body().string()).at("/choices/0/message/content").asText();
      assertTrue(content.startsWith("{"), content);
    }
  }

  @Test
  void unsupportedSchemaIsA400AndTheServerSurvives() throws Exception {
    LlmRequestRejectedException e =
        assertThrows(
            LlmRequestRejectedException.class,
            () -> client.chat(chat("x").withJsonSchema("{\"$ref\":\"#/definitions/missing\"}")));

    assertEquals(400, e.status());
    assertTrue(e.serverMessage().contains("unsupported JSON schema"), e.serverMessage());
    assertEquals("ok", get("/health").get("status").asText());
  }

  @Test
  void malformedBodyIsA400WithAMessage() throws IOException {
    for (String body :
        List.of(
            "{not json",
            "",
            "[1,2]",
            "{\"messages\":[]}",
            "{\"messages\":[{\"role\":\"robot\",\"content\":\"x\"}]}",
            "{\"messages\":[{\"role\":\"user\"}]}",
            "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"temperature\":\"hot\"}",
            "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"n\":0}",
            "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"max_tokens\":-1}",
            "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"stream\":true}",
            "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"response_format\":{\"type\":\"xml\"}}")) {
      try (Response r = post("/v1/chat/completions", body)) {
        assertEquals(400, r.code(), body);
        JsonNode error = JSON.readTree(r.body().string()).get("error");
        assertFalse(error.get("message").asText().isBlank(), body);
        assertEquals("invalid_request_error", error.get("type").asText());
      }
    }
    try (Response r = post("/v1/completions", "{\"prompt\":42}")) {
      assertEquals(400, r.code());
    }
  }

  @Test
  void promptLongerThanTheContextIsA400() throws IOException {
    String prompt = "ab ".repeat(4200);
    try (Response r = post("/v1/completions", "{\"prompt\":\"" + prompt + "\",\"max_tokens\":4}")) {
      assertEquals(400, r.code());
      assertTrue(r.body().string().contains("the context holds 4096"));
    }
  }

  @Test
  void unknownRouteAndWrongMethod() throws IOException {
    try (Response r =
        http.newCall(new Request.Builder().url(base + "/v2/nothing").build()).execute()) {
      assertEquals(404, r.code());
    }
    try (Response r =
        http.newCall(new Request.Builder().url(base + "/v1/completions").build()).execute()) {
      assertEquals(405, r.code());
      assertEquals("POST", r.header("Allow"));
    }
  }

  @Test
  void rawCompletionUsesThePromptAsIs() throws Exception {
    LlmResponse r =
        client.complete(
            CompletionRequest.of("tiny-test", "Once upon a time")
                .withSeed(3L)
                .withMaxTokens(8)
                .withTemperature(0.8));

    assertEquals(1, r.choices().size());
    assertTrue(
        r.completionTokens() > 0 && r.completionTokens() <= 8,
        "completion " + r.completionTokens());
    // "Once upon a time": one token per character (the tiny vocabulary has no merges), a leading
    // SentencePiece space, and BOS.
    assertEquals("Once upon a time".length() + 1 + 1, r.promptTokens());
  }

  @Test
  void maxTokensBoundsTheOutputAndStopsWithLength() throws IOException {
    try (Response r = post("/v1/completions", "{\"prompt\":\"x\",\"max_tokens\":5,\"seed\":9}")) {
      JsonNode body = JSON.readTree(r.body().string());
      assertTrue(body.at("/usage/completion_tokens").asInt() <= 5);
      assertEquals("text_completion", body.get("object").asText());
    }
  }

  @Test
  void concurrentRequestsAreServedOneAfterAnother() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<LlmResponse>> futures = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        long seed = 500 + i;
        futures.add(pool.submit(() -> client.chat(chat("go").withSeed(seed))));
      }
      List<String> texts = new ArrayList<>();
      for (Future<LlmResponse> f : futures) {
        texts.add(f.get(60, TimeUnit.SECONDS).text());
      }
      // Interleaving must not change results: each equals its sequential counterpart.
      for (int i = 0; i < 4; i++) {
        assertEquals(client.chat(chat("go").withSeed(500L + i)).text(), texts.get(i));
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void charactersOutsideTheBmpAndNulSurviveTheChatTemplate() throws IOException {
    LlamaEngine engine = LlamaEngine.load(new LlamaEngine.Options(tinyModel(), null, 0, 1, false));
    try {
      String content = "emoji \uD83D\uDE00 nul \u0000 private \uE000 end";
      List<Map.Entry<String, String>> messages =
          List.of(new AbstractMap.SimpleImmutableEntry<>("user", content));
      String prompt = engine.applyChatTemplate(messages);
      assertTrue(prompt.contains(content), prompt);
      assertTrue(prompt.startsWith("<|im_start|>user\n"), prompt);
      assertTrue(prompt.endsWith("<|im_start|>assistant\n"), prompt);
    } finally {
      engine.close();
    }
  }

  @Test
  void ggufMetadataOfTheTinyModel() throws IOException {
    GgufMetadata meta = GgufMetadata.read(tinyModel());
    assertEquals("llama", meta.architecture());
    assertEquals(4096L, meta.trainedContextLength().orElseThrow());
    assertTrue(meta.addsBos());
    assertTrue(meta.chatTemplate().orElseThrow().contains("<|im_start|>"));
  }

  @Test
  void notAGgufFileFailsInJavaWithAClearMessage() throws IOException {
    Path bogus = Files.createTempFile("not-a-model", ".gguf");
    try {
      Files.writeString(bogus, "hello");
      IOException e =
          assertThrows(IOException.class, () -> LlamaEngine.load(LlamaEngine.Options.of(bogus)));
      assertTrue(e.getMessage().contains("not a GGUF file"), e.getMessage());
    } finally {
      Files.deleteIfExists(bogus);
    }
  }

  @Test
  void seedsStayInTheNativeRangeAndAvoidTheRandomSentinel() {
    assertEquals(5, LlamaEngine.seedFor(5, 0));
    assertEquals(6, LlamaEngine.seedFor(5, 1));
    assertEquals(0, LlamaEngine.seedFor(Integer.MAX_VALUE, 0));
    assertTrue(LlamaEngine.seedFor(-1, 0) >= 0);
    assertTrue(LlamaEngine.seedFor(Long.MAX_VALUE, 3) >= 0);
  }
}
