package dev.quarry.activities.llm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import okhttp3.HttpUrl;

/** The OpenAI wire format: request bodies, endpoint URLs, response and error parsing. */
final class OpenAiWire {
  private OpenAiWire() {}

  /** The two routes the client speaks. */
  enum Route {
    CHAT("chat/completions", "chat"),
    COMPLETIONS("completions", "completion");

    final String path;
    final String label;

    Route(String path, String label) {
      this.path = path;
      this.label = label;
    }
  }

  /** {@code base} + {@code /v1/} + route path; a base that already ends in {@code /v1} keeps it. */
  static HttpUrl url(String baseUrl, Route route) {
    HttpUrl base = HttpUrl.get(baseUrl);
    HttpUrl.Builder b = base.newBuilder().encodedPath("/").query(null).fragment(null);
    List<String> segments = new ArrayList<>();
    for (String s : base.pathSegments()) {
      if (!s.isEmpty()) {
        segments.add(s);
      }
    }
    for (String s : segments) {
      b.addPathSegment(s);
    }
    if (segments.isEmpty() || !segments.get(segments.size() - 1).equals("v1")) {
      b.addPathSegment("v1");
    }
    return b.addPathSegments(route.path).build();
  }

  /** {@code base} + {@code /v1/models}, as {@link #url} builds the other routes. */
  static HttpUrl modelsUrl(String baseUrl) {
    HttpUrl chat = url(baseUrl, Route.CHAT);
    HttpUrl.Builder b = chat.newBuilder();
    b.removePathSegment(chat.pathSize() - 1).removePathSegment(chat.pathSize() - 2);
    return b.addPathSegment("models").build();
  }

  /** The {@code data} of a model listing as "id root owner" strings, sorted; unreadable: error. */
  static List<String> modelList(ObjectMapper json, byte[] raw) throws LlmUnavailableException {
    JsonNode root;
    try {
      root = json.readTree(raw);
    } catch (IOException e) {
      throw new LlmUnavailableException("the model listing is not JSON", e);
    }
    JsonNode data = root == null ? null : root.get("data");
    if (data == null || !data.isArray()) {
      throw new LlmUnavailableException("the model listing has no data array");
    }
    List<String> models = new ArrayList<>();
    for (JsonNode m : data) {
      if (m.path("id").isTextual()) {
        models.add(
            String.join(
                    " ",
                    m.get("id").asText(),
                    m.path("root").asText(""),
                    m.path("owned_by").asText(""))
                .strip());
      }
    }
    models.sort(null);
    return models;
  }

  static ObjectNode chatBody(ObjectMapper json, ChatRequest r) {
    ObjectNode body = json.createObjectNode();
    body.put("model", r.model());
    ArrayNode messages = body.putArray("messages");
    for (ChatMessage m : r.messages()) {
      messages.addObject().put("role", m.role()).put("content", m.content());
    }
    sampling(body, r.n(), r.seed(), r.temperature(), r.topP(), r.maxTokens(), r.stop());
    JsonNode schema = r.jsonSchema();
    if (schema != null) {
      ObjectNode format = body.putObject("response_format");
      format.put("type", "json_schema");
      ObjectNode js = format.putObject("json_schema");
      js.put("name", schemaName(schema));
      js.set("schema", schema);
      js.put("strict", true);
    }
    return body;
  }

  static ObjectNode completionBody(ObjectMapper json, CompletionRequest r) {
    ObjectNode body = json.createObjectNode();
    body.put("model", r.model());
    body.put("prompt", r.prompt());
    sampling(body, r.n(), r.seed(), r.temperature(), r.topP(), r.maxTokens(), r.stop());
    return body;
  }

  private static void sampling(
      ObjectNode body,
      int n,
      Long seed,
      Double temperature,
      Double topP,
      Integer maxTokens,
      List<String> stop) {
    body.put("n", n);
    if (seed != null) {
      body.put("seed", seed);
    }
    if (temperature != null) {
      body.put("temperature", temperature);
    }
    if (topP != null) {
      body.put("top_p", topP);
    }
    if (maxTokens != null) {
      body.put("max_tokens", maxTokens);
    }
    if (!stop.isEmpty()) {
      ArrayNode s = body.putArray("stop");
      stop.forEach(s::add);
    }
  }

  /**
   * OpenAI wants {@code ^[a-zA-Z0-9_-]{1,64}$}: the schema's title when usable, else "response".
   */
  static String schemaName(JsonNode schema) {
    JsonNode title = schema.get("title");
    if (title != null && title.isTextual()) {
      String cleaned = title.asText().replaceAll("[^a-zA-Z0-9_-]", "_");
      if (!cleaned.isEmpty()) {
        return cleaned.length() > 64 ? cleaned.substring(0, 64) : cleaned;
      }
    }
    return "response";
  }

  /** Whether sampling is reproducible, so that caching the answer changes nothing observable. */
  static boolean deterministic(JsonNode body) {
    JsonNode seed = body.get("seed");
    JsonNode temperature = body.get("temperature");
    return (seed != null && seed.isIntegralNumber())
        || (temperature != null && temperature.isNumber() && temperature.asDouble() == 0.0);
  }

  /**
   * Parses a 200 response. Anything that is not a complete OpenAI response with a {@code choices}
   * array is an {@link LlmUnavailableException}: a truncated or malformed body is the server's
   * (usually transient) fault, not the request's. An empty array, or a choice whose content is null
   * (a refusal, a content filter), is an answer: the caller sees fewer replies than it asked for,
   * with each choice's {@code finish_reason}.
   */
  static LlmResponse parse(
      ObjectMapper json, Route route, String url, byte[] raw, String requestModel)
      throws LlmUnavailableException {
    JsonNode root;
    try {
      root = json.readTree(raw);
    } catch (IOException e) {
      throw new LlmUnavailableException(
          "invalid or truncated JSON in the "
              + route.label
              + " response from "
              + url
              + ": "
              + oneLine(
                  e instanceof JsonProcessingException jpe
                      ? jpe.getOriginalMessage()
                      : e.getMessage()),
          e);
    }
    if (root == null || !root.isObject()) {
      throw new LlmUnavailableException(
          "the " + route.label + " response from " + url + " is not a JSON object");
    }
    if (root.hasNonNull("error")) {
      throw new LlmUnavailableException(
          "the " + route.label + " response from " + url + " is an error: " + errorMessage(root));
    }
    JsonNode choices = root.get("choices");
    if (choices == null || !choices.isArray()) {
      throw new LlmUnavailableException(
          "the " + route.label + " response from " + url + " has no choices array");
    }
    List<JsonNode> ordered = new ArrayList<>();
    choices.forEach(ordered::add);
    ordered.sort(Comparator.comparingInt(c -> c.path("index").asInt(0)));
    List<String> texts = new ArrayList<>(ordered.size());
    List<String> finishReasons = new ArrayList<>(ordered.size());
    for (JsonNode choice : ordered) {
      JsonNode text =
          route == Route.CHAT ? choice.path("message").path("content") : choice.path("text");
      if (!text.isTextual() && !text.isNull() && !text.isMissingNode()) {
        throw new LlmUnavailableException(
            "choice "
                + choice.path("index").asInt(texts.size())
                + " of the "
                + route.label
                + " response from "
                + url
                + " has a "
                + (route == Route.CHAT ? "message.content" : "text")
                + " that is not text");
      }
      texts.add(text.isTextual() ? text.asText() : null);
      JsonNode finish = choice.path("finish_reason");
      boolean refused = route == Route.CHAT && choice.path("message").path("refusal").isTextual();
      finishReasons.add(finish.isTextual() ? finish.asText() : refused ? "refusal" : null);
    }
    JsonNode usage = root.path("usage");
    int promptTokens = Math.max(0, usage.path("prompt_tokens").asInt(0));
    int completionTokens = Math.max(0, usage.path("completion_tokens").asInt(0));
    String model = root.path("model").isTextual() ? root.get("model").asText() : requestModel;
    return new LlmResponse(texts, promptTokens, completionTokens, model, finishReasons);
  }

  /** The server's error message from an error body, or a short excerpt of the raw text. */
  static String errorMessage(ObjectMapper json, byte[] raw) {
    try {
      JsonNode root = json.readTree(raw);
      if (root != null && root.isObject()) {
        String m = errorMessage(root);
        if (!m.isEmpty()) {
          return m;
        }
      }
    } catch (IOException e) {
      // not JSON: fall through to the raw text
    }
    return excerpt(new String(raw, StandardCharsets.UTF_8));
  }

  private static String errorMessage(JsonNode root) {
    JsonNode error = root.get("error");
    if (error != null && error.isObject() && error.path("message").isTextual()) {
      return excerpt(error.get("message").asText());
    }
    if (error != null && error.isTextual()) {
      return excerpt(error.asText());
    }
    for (String field : new String[] {"message", "detail"}) {
      if (root.path(field).isTextual()) {
        return excerpt(root.get(field).asText());
      }
    }
    return error == null ? "" : excerpt(error.toString());
  }

  private static String excerpt(String s) {
    String line = oneLine(s);
    return line.length() > 500 ? line.substring(0, 500) + "…" : line;
  }

  static String oneLine(String s) {
    return s == null ? "" : s.replaceAll("\\s+", " ").trim();
  }

  /** The node with every object's keys sorted, recursively: the same request, the same bytes. */
  static JsonNode canonical(ObjectMapper json, JsonNode node) {
    if (node.isObject()) {
      Map<String, JsonNode> sorted = new TreeMap<>();
      node.properties().forEach(e -> sorted.put(e.getKey(), canonical(json, e.getValue())));
      ObjectNode out = json.createObjectNode();
      sorted.forEach(out::set);
      return out;
    }
    if (node.isArray()) {
      ArrayNode out = json.createArrayNode();
      node.forEach(e -> out.add(canonical(json, e)));
      return out;
    }
    return node;
  }
}
