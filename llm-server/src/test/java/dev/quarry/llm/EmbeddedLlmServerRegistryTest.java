package dev.quarry.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retrained versions served by name: a request naming {@code registry/RUN/vN} is answered by that
 * GGUF from the registry, loaded on demand and swapped for another; every other request by the
 * default model, as before.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EmbeddedLlmServerRegistryTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final OkHttpClient http =
      new OkHttpClient.Builder().readTimeout(60, TimeUnit.SECONDS).build();
  @TempDir Path models;

  private record Reply(int status, JsonNode body) {}

  private Reply call(String base, String path, String body) throws Exception {
    Request.Builder request = new Request.Builder().url(base + path);
    if (body != null) {
      request.post(RequestBody.create(body, MediaType.get("application/json")));
    }
    try (Response response = http.newCall(request.build()).execute()) {
      return new Reply(response.code(), JSON.readTree(response.body().string()));
    }
  }

  private static String chat(String model) {
    return "{\"model\":\""
        + model
        + "\",\"seed\":7,\"max_tokens\":12,\"temperature\":0.9,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"Write a problem.\"}]}";
  }

  @Test
  void registryModelsAreListedLoadedOnDemandSwappedAndUnknownNamesAre404() throws Exception {
    Path tiny = EmbeddedLlmServerTest.tinyModel();
    for (String version : List.of("run-a/v1", "run-a/v2")) {
      Path file = models.resolve("registry").resolve(version).resolve("model.gguf");
      Files.createDirectories(file.getParent());
      Files.copy(tiny, file);
    }
    Files.createDirectories(models.resolve("registry/run-a/v3")); // no model.gguf: not listed
    try (EmbeddedLlmServer server =
        EmbeddedLlmServer.load(LlamaEngine.Options.of(tiny)).serveRegistry(models).start(0)) {
      String base = server.baseUrl() + "/v1";
      List<String> ids = new ArrayList<>();
      call(base, "/models", null).body().get("data").forEach(m -> ids.add(m.get("id").asText()));
      assertEquals(List.of(server.modelId(), "registry/run-a/v1", "registry/run-a/v2"), ids);

      Reply byDefault = call(base, "/chat/completions", chat("anything"));
      assertEquals(200, byDefault.status());
      assertEquals(server.modelId(), byDefault.body().get("model").asText());
      String text = byDefault.body().at("/choices/0/message/content").asText();

      // The copies hold the default's weights: the same seed gives the same text, from another
      // engine.
      for (String name : List.of("registry/run-a/v1", "registry/run-a/v2", "registry/run-a/v1")) {
        Reply reply = call(base, "/chat/completions", chat(name));
        assertEquals(200, reply.status(), reply.body().toString());
        assertEquals(name, reply.body().get("model").asText());
        assertEquals(text, reply.body().at("/choices/0/message/content").asText());
      }
      assertEquals(
          text,
          call(base, "/chat/completions", chat("tiny"))
              .body()
              .at("/choices/0/message/content")
              .asText(),
          "the default model still answers after registry models were loaded");

      for (String missing :
          List.of("registry/run-a/v3", "registry/../v1", "registry/run-a/latest")) {
        Reply reply = call(base, "/chat/completions", chat(missing));
        assertEquals(404, reply.status(), missing);
        assertEquals("model", reply.body().at("/error/param").asText());
        assertTrue(reply.body().at("/error/message").asText().contains(missing));
      }
    }
  }
}
