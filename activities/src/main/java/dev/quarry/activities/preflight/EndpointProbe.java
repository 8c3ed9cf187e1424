package dev.quarry.activities.preflight;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.activities.store.Json;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Checks one OpenAI-compatible endpoint for one model: can a connection be opened, does the server
 * take the key, does it serve the model. The CLI's start check uses the connection test alone (the
 * keys live on the workers); the run's preflight uses all of it, on the LLM worker.
 */
public final class EndpointProbe {
  private static final int CONNECT_TIMEOUT_MILLIS = 3000;
  private static final MediaType JSON = MediaType.get("application/json");

  /** What the endpoint said. */
  public enum Kind {
    OK,
    UNREACHABLE,
    KEY_REFUSED,
    MODEL_UNKNOWN,
    SERVER_ERROR
  }

  /**
   * @param detail the server's status and message, with the key redacted
   * @param served the models the endpoint lists; empty when it lists none
   */
  public record Result(Kind kind, String detail, List<String> served) {}

  private final OkHttpClient http;

  public EndpointProbe() {
    this(Duration.ofSeconds(60));
  }

  /**
   * @param readTimeout for the one-token request a server without a model list gets
   */
  public EndpointProbe(Duration readTimeout) {
    this.http =
        new OkHttpClient.Builder()
            .connectTimeout(Duration.ofMillis(CONNECT_TIMEOUT_MILLIS))
            .readTimeout(readTimeout)
            .callTimeout(readTimeout.plusSeconds(10))
            .build();
  }

  /**
   * Whether a TCP connection to the endpoint's host and port opens: a request is not needed to know
   * nobody serves there, and servers differ in which routes answer without a key.
   *
   * @return null when it opens, else why not
   */
  public static String unreachable(String endpoint) {
    URI uri;
    try {
      uri = URI.create(endpoint);
    } catch (IllegalArgumentException e) {
      return "not a URL: " + e.getMessage();
    }
    if (uri.getHost() == null) {
      return "no host in the URL";
    }
    int port =
        uri.getPort() > 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(uri.getHost(), port), CONNECT_TIMEOUT_MILLIS);
      return null;
    } catch (IOException e) {
      return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }
  }

  /**
   * Lists the endpoint's models ({@code GET /models}); when the model is not among them, or the
   * server lists none, asks it for one token of the model (some servers serve names they do not
   * list). One or two requests.
   *
   * @param apiKey sent as a Bearer token; null for none. It never appears in a result.
   */
  public Result probe(String endpoint, String model, String apiKey) {
    String why = unreachable(endpoint);
    if (why != null) {
      return new Result(Kind.UNREACHABLE, why, List.of());
    }
    String base = endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1) : endpoint;
    List<String> served = new ArrayList<>();
    try {
      Reply listed = send(new Request.Builder().url(base + "/models").get(), apiKey);
      if (listed.status == 401 || listed.status == 403) {
        return new Result(Kind.KEY_REFUSED, listed.describe(apiKey), List.of());
      }
      if (listed.status >= 200 && listed.status < 300) {
        try {
          for (JsonNode m : listed.json().path("data")) {
            served.add(m.path("id").asText());
          }
        } catch (IOException notAList) {
          // The route answers, but not with a model list: ask for the model instead.
        }
        if (served.contains(model)) {
          return new Result(Kind.OK, "lists " + model, List.copyOf(served));
        }
      }
      String body =
          Json.line(
              Map.of(
                  "model",
                  model,
                  "messages",
                  List.of(Map.of("role", "user", "content", "ping")),
                  "max_tokens",
                  1));
      Reply asked =
          send(
              new Request.Builder()
                  .url(base + "/chat/completions")
                  .post(RequestBody.create(body, JSON)),
              apiKey);
      if (asked.status >= 200 && asked.status < 300) {
        return new Result(Kind.OK, "answers for " + model, List.copyOf(served));
      }
      if (asked.status == 401 || asked.status == 403) {
        return new Result(Kind.KEY_REFUSED, asked.describe(apiKey), List.copyOf(served));
      }
      if (asked.status == 404
          || (asked.status == 400 && asked.message.toLowerCase().contains("model"))) {
        return new Result(Kind.MODEL_UNKNOWN, asked.describe(apiKey), List.copyOf(served));
      }
      if (asked.status >= 500 || asked.status == 429) {
        return new Result(Kind.SERVER_ERROR, asked.describe(apiKey), List.copyOf(served));
      }
      // Another refusal of this tiny request (a 400 about max_tokens, say) still shows that the
      // endpoint answers with the key and knows the model; per-request refusals are handled
      // per item during the run.
      return new Result(Kind.OK, "answers (" + asked.describe(apiKey) + ")", List.copyOf(served));
    } catch (IOException e) {
      return new Result(
          Kind.UNREACHABLE,
          redact(e.getClass().getSimpleName() + ": " + e.getMessage(), apiKey),
          List.of());
    }
  }

  private record Reply(int status, String message, byte[] body) {
    JsonNode json() throws IOException {
      return Json.MAPPER.readTree(body);
    }

    String describe(String apiKey) {
      return "HTTP " + status + (message.isBlank() ? "" : ": " + redact(message, apiKey));
    }
  }

  private Reply send(Request.Builder request, String apiKey) throws IOException {
    request.header("Accept", "application/json");
    if (apiKey != null && !apiKey.isBlank()) {
      request.header("Authorization", "Bearer " + apiKey);
    }
    try (Response response = http.newCall(request.build()).execute()) {
      byte[] body = response.body() == null ? new byte[0] : response.body().bytes();
      return new Reply(response.code(), errorMessage(body), body);
    }
  }

  /** The error's message in OpenAI's shape ({"error": {"message"}}) or the body's first line. */
  private static String errorMessage(byte[] body) {
    String text = new String(body, StandardCharsets.UTF_8).strip();
    try {
      JsonNode node = Json.MAPPER.readTree(text);
      JsonNode error = node.path("error");
      String message = error.isTextual() ? error.asText() : error.path("message").asText("");
      if (!message.isBlank()) {
        text = message;
      }
    } catch (IOException | RuntimeException notJson) {
      // a plain-text body
    }
    int newline = text.indexOf('\n');
    text = newline < 0 ? text : text.substring(0, newline);
    return text.length() <= 200 ? text : text.substring(0, 200) + "…";
  }

  private static String redact(String text, String apiKey) {
    return apiKey == null || apiKey.isBlank() || text == null
        ? text
        : text.replace(apiKey, "[redacted]");
  }
}
