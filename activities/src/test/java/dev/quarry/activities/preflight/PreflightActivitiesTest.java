package dev.quarry.activities.preflight;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.quarry.activities.dataset.BenchmarkTexts;
import dev.quarry.core.config.RunConfig;
import dev.quarry.core.config.RunConfigLoader;
import dev.quarry.workflows.ActivityStubs;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The preflight against a real HTTP server that behaves like hosted endpoints do: it wants the key
 * {@code good-key}, lists model {@code served-model}, and answers 404 for any other model.
 */
class PreflightActivitiesTest {
  private static final String GOOD_KEY = "good-key-planted-7f3a";

  @TempDir Path dir;
  private HttpServer server;
  private boolean listsModels = true;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String auth = ex.getRequestHeaders().getFirst("Authorization");
      String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      if (!("Bearer " + GOOD_KEY).equals(auth)) {
        send(ex, 401, "{\"error\":{\"message\":\"Incorrect API key provided: " + auth + "\"}}");
      } else if (ex.getRequestURI().getPath().endsWith("/models")) {
        if (listsModels) {
          send(ex, 200, "{\"object\":\"list\",\"data\":[{\"id\":\"served-model\"}]}");
        } else {
          send(ex, 404, "{\"error\":\"no route\"}");
        }
      } else if (body.contains("\"served-model\"")) {
        send(ex, 200, "{\"choices\":[{\"message\":{\"role\":\"assistant\",\"content\":\"p\"}}]}");
      } else {
        send(ex, 404, "{\"error\":{\"message\":\"The model does not exist\"}}");
      }
    }
  }

  private static void send(HttpExchange ex, int status, String json) throws IOException {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    ex.sendResponseHeaders(status, bytes.length);
    ex.getResponseBody().write(bytes);
  }

  private String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
  }

  private RunConfig config(String model, String keyEnv) throws IOException {
    Path seeds = dir.resolve("seeds.jsonl");
    Files.writeString(
        seeds,
        "{\"id\":\"s1\",\"statement\":\"Sum n numbers.\",\"concepts\":[\"sums\"],\"difficulty\":1}\n");
    String role =
        "{endpoint: "
            + endpoint()
            + ", model: "
            + model
            + (keyEnv == null ? "" : ", apiKeyEnv: " + keyEnv)
            + "}";
    return RunConfigLoader.parse(
        "seeds: {file: "
            + seeds
            + ", format: quarry}\nroles:\n  generator: "
            + role
            + "\n  solver: "
            + role
            + "\n  testWriter: "
            + role
            + "\n",
        "test");
  }

  private PreflightActivitiesImpl preflight(Map<String, String> env) {
    return new PreflightActivitiesImpl(
        new EndpointProbe(Duration.ofSeconds(10)), env::get, new BenchmarkTexts());
  }

  private static String failure(Runnable check) {
    ApplicationFailure f = assertThrows(ApplicationFailure.class, check::run);
    assertTrue(f.isNonRetryable(), "a run-wide fault is final: " + f);
    assertTrue(ActivityStubs.PREFLIGHT_FAILED.equals(f.getType()), f.getType());
    return f.getOriginalMessage();
  }

  @Test
  void aServedModelWithTheRightKeyPasses() throws IOException {
    List<String> checked =
        preflight(Map.of("GEN_KEY", GOOD_KEY)).checkEndpoints(config("served-model", "GEN_KEY"));
    assertTrue(checked.get(0).contains("generator, solver, testWriter"), checked.toString());
  }

  @Test
  void aMissingKeyVariableNamesTheVariableAndTheRole() throws IOException {
    String message =
        failure(
            () ->
                preflight(Map.of())
                    .checkEndpoints(uncheck(() -> config("served-model", "GEN_KEY"))));
    assertTrue(message.contains("GEN_KEY"), message);
    assertTrue(message.contains("roles.generator.apiKeyEnv"), message);
  }

  @Test
  void aRefusedKeyNamesTheVariableAndNeverTheKey() throws IOException {
    String message =
        failure(
            () ->
                preflight(Map.of("GEN_KEY", "wrong-secret-99"))
                    .checkEndpoints(uncheck(() -> config("served-model", "GEN_KEY"))));
    assertTrue(message.contains("401"), message);
    assertTrue(message.contains("GEN_KEY"), message);
    assertFalse(message.contains("wrong-secret-99"), "the key must not appear: " + message);
  }

  @Test
  void anUnknownModelNamesTheModelAndWhatIsServed() throws IOException {
    String message =
        failure(
            () ->
                preflight(Map.of("GEN_KEY", GOOD_KEY))
                    .checkEndpoints(uncheck(() -> config("gpt-nonexistent", "GEN_KEY"))));
    assertTrue(message.contains("gpt-nonexistent"), message);
    assertTrue(message.contains("served-model"), message);
    assertTrue(message.contains("roles.generator.model"), message);
  }

  @Test
  void aServerWithoutAModelListIsAskedForTheModel() throws IOException {
    listsModels = false;
    preflight(Map.of("GEN_KEY", GOOD_KEY)).checkEndpoints(config("served-model", "GEN_KEY"));
    String message =
        failure(
            () ->
                preflight(Map.of("GEN_KEY", GOOD_KEY))
                    .checkEndpoints(uncheck(() -> config("other", "GEN_KEY"))));
    assertTrue(message.contains("'other'"), message);
  }

  @Test
  void anEndpointNobodyServesIsRetryableInfrastructure() throws IOException {
    RunConfig config = config("served-model", null);
    server.stop(0);
    ApplicationFailure f =
        assertThrows(ApplicationFailure.class, () -> preflight(Map.of()).checkEndpoints(config));
    assertFalse(f.isNonRetryable(), "a server still starting gets the bounded retries");
    assertTrue(f.getOriginalMessage().contains("roles.generator.endpoint"), f.getOriginalMessage());
  }

  @Test
  void aMissingSeedFileNamesThePath() throws IOException {
    RunConfig config = config("served-model", null);
    Files.delete(dir.resolve("seeds.jsonl"));
    String message = failure(() -> preflight(Map.of()).checkFiles(config));
    assertTrue(message.contains("seeds.file"), message);
    assertTrue(message.contains("seeds.jsonl"), message);
  }

  @Test
  void aMissingBenchmarkFileNamesItsField() throws IOException {
    RunConfig config =
        config("served-model", null)
            .withDecontaminationFiles(List.of(dir.resolve("humaneval.jsonl").toString()));
    String message = failure(() -> preflight(Map.of()).checkFiles(config));
    assertTrue(message.contains("decontamination.files[0]"), message);
    assertTrue(message.contains("humaneval.jsonl"), message);
  }

  private interface IoSupplier<T> {
    T get() throws IOException;
  }

  private static <T> T uncheck(IoSupplier<T> supplier) {
    try {
      return supplier.get();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
