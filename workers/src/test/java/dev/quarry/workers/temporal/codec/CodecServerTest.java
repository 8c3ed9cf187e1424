package dev.quarry.workers.temporal.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.activities.store.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The codec server over real HTTP, in the JSON shape the Temporal web UI and CLI send. */
class CodecServerTest {
  private static final String UI = "http://localhost:8233";
  private static final String PROMPT = "Find all primes p such that p^2 + 2 is prime";
  private final HttpClient http = HttpClient.newHttpClient();

  private static String requestBody() {
    String data = Base64.getEncoder().encodeToString(("\"" + PROMPT + "\"").getBytes());
    String encoding = Base64.getEncoder().encodeToString("json/plain".getBytes());
    return "{\"payloads\":[{\"metadata\":{\"encoding\":\""
        + encoding
        + "\"},\"data\":\""
        + data
        + "\"}]}";
  }

  private HttpResponse<String> post(int port, String path, String body, String... headers)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void encodeThenDecodeOverHttpGivesBackThePayloadAndEncodedDataIsCiphertext() throws Exception {
    PayloadKeyRing keys = PayloadKeyRing.parse(AesGcmPayloadCodecTest.newKey("k1"), "test");
    try (CodecServer server =
        new CodecServer(new AesGcmPayloadCodec(keys), Set.of(UI), Optional.empty())
            .start("127.0.0.1", 0)) {
      HttpResponse<String> encoded =
          post(server.port(), "/encode", requestBody(), "X-Namespace", "default");
      assertEquals(200, encoded.statusCode(), encoded.body());
      JsonNode sealed = Json.MAPPER.readTree(encoded.body()).path("payloads").get(0);
      assertEquals(
          "binary/encrypted",
          new String(
              Base64.getDecoder().decode(sealed.path("metadata").path("encoding").asText())));
      assertEquals(
          "k1",
          new String(
              Base64.getDecoder()
                  .decode(sealed.path("metadata").path("encryption-key-id").asText())));
      assertFalse(
          new String(
                  Base64.getDecoder().decode(sealed.path("data").asText()),
                  StandardCharsets.ISO_8859_1)
              .contains("primes"));

      HttpResponse<String> decoded = post(server.port(), "/decode", encoded.body());
      assertEquals(200, decoded.statusCode(), decoded.body());
      assertEquals(Json.MAPPER.readTree(requestBody()), Json.MAPPER.readTree(decoded.body()));
    }
  }

  @Test
  void browsersGetCorsHeadersOnlyForTheWebUiOrigin() throws Exception {
    PayloadKeyRing keys = PayloadKeyRing.parse(AesGcmPayloadCodecTest.newKey("k1"), "test");
    try (CodecServer server =
        new CodecServer(new AesGcmPayloadCodec(keys), Set.of(UI), Optional.empty())
            .start("127.0.0.1", 0)) {
      HttpResponse<String> preflight =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/decode"))
                  .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                  .header("Origin", UI)
                  .header("Access-Control-Request-Method", "POST")
                  .header("Access-Control-Request-Headers", "content-type,x-namespace")
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(204, preflight.statusCode());
      assertEquals(UI, preflight.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
      assertTrue(
          preflight
              .headers()
              .firstValue("Access-Control-Allow-Headers")
              .orElse("")
              .contains("X-Namespace"));
      assertEquals(
          "true", preflight.headers().firstValue("Access-Control-Allow-Credentials").orElse(null));

      HttpResponse<String> foreign =
          post(server.port(), "/encode", requestBody(), "Origin", "http://evil.example");
      assertNull(
          foreign.headers().firstValue("Access-Control-Allow-Origin").orElse(null),
          "no CORS grant for other origins");
    }
  }

  @Test
  void withATokenRequestsWithoutTheBearerHeaderAreRefused() throws Exception {
    PayloadKeyRing keys = PayloadKeyRing.parse(AesGcmPayloadCodecTest.newKey("k1"), "test");
    try (CodecServer server =
        new CodecServer(new AesGcmPayloadCodec(keys), Set.of(UI), Optional.of("s3cret"))
            .start("127.0.0.1", 0)) {
      assertEquals(401, post(server.port(), "/decode", requestBody()).statusCode());
      assertEquals(
          401,
          post(server.port(), "/decode", requestBody(), "Authorization", "Bearer wrong")
              .statusCode());
      assertEquals(
          200,
          post(server.port(), "/decode", requestBody(), "Authorization", "Bearer s3cret")
              .statusCode());
    }
  }

  @Test
  void malformedBodiesAndUnknownKeysAreClearErrors() throws Exception {
    PayloadKeyRing keys = PayloadKeyRing.parse(AesGcmPayloadCodecTest.newKey("k1"), "test");
    PayloadKeyRing otherKeys = PayloadKeyRing.parse(AesGcmPayloadCodecTest.newKey("k9"), "test");
    try (CodecServer server =
            new CodecServer(new AesGcmPayloadCodec(keys), Set.of(UI), Optional.empty())
                .start("127.0.0.1", 0);
        CodecServer other =
            new CodecServer(new AesGcmPayloadCodec(otherKeys), Set.of(UI), Optional.empty())
                .start("127.0.0.1", 0)) {
      HttpResponse<String> bad = post(server.port(), "/decode", "not json");
      assertEquals(400, bad.statusCode());
      assertTrue(bad.body().contains("payloads"), bad.body());

      String sealedByOther = post(other.port(), "/encode", requestBody()).body();
      HttpResponse<String> unknown = post(server.port(), "/decode", sealedByOther);
      assertEquals(400, unknown.statusCode());
      assertTrue(unknown.body().contains("k9"), unknown.body());
    }
  }
}
