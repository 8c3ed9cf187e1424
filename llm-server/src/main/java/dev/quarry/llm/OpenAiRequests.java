package dev.quarry.llm;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads and validates OpenAI request bodies. Everything wrong with a request becomes a {@link
 * BadRequest} naming the offending field, which the server answers with a 400; unknown fields are
 * ignored (clients send many), but fields whose meaning the server cannot honour are refused rather
 * than silently dropped.
 */
final class OpenAiRequests {
  static final int MAX_N = 16;
  static final int MAX_STOP = 16;
  static final int MAX_MESSAGES = 4096;
  private static final Set<String> ROLES = Set.of("system", "user", "assistant", "developer");

  private OpenAiRequests() {}

  /** A client error; {@code param} is the JSON field at fault, when there is one. */
  static final class BadRequest extends Exception {
    final String param;

    BadRequest(String param, String message) {
      super(message);
      this.param = param;
    }
  }

  /** What {@code response_format} asks for. */
  sealed interface Format permits Format.Text, Format.JsonObject, Format.JsonSchema {
    record Text() implements Format {}

    record JsonObject() implements Format {}

    record JsonSchema(JsonNode schema) implements Format {}
  }

  /** Sampling parameters common to both routes; nullable means "server default". */
  record Params(
      int n,
      Long seed,
      Float temperature,
      Float topP,
      Integer topK,
      Float minP,
      Integer maxTokens,
      List<String> stop) {}

  record ChatCall(List<Map.Entry<String, String>> messages, Params params, Format format) {}

  record CompletionCall(String prompt, Params params) {}

  static ChatCall chat(JsonNode body) throws BadRequest {
    requireObject(body);
    refuse(body, "tools", "tool calling is not supported");
    refuse(body, "functions", "function calling is not supported");
    JsonNode messages = body.get("messages");
    if (messages == null || !messages.isArray() || messages.isEmpty()) {
      throw new BadRequest("messages", "'messages' must be a non-empty array");
    }
    if (messages.size() > MAX_MESSAGES) {
      throw new BadRequest("messages", "at most " + MAX_MESSAGES + " messages are supported");
    }
    List<Map.Entry<String, String>> out = new ArrayList<>(messages.size());
    for (int i = 0; i < messages.size(); i++) {
      JsonNode m = messages.get(i);
      String where = "messages[" + i + "]";
      if (!m.isObject()) {
        throw new BadRequest(where, where + " must be an object");
      }
      JsonNode role = m.get("role");
      if (role == null || !role.isTextual() || !ROLES.contains(role.asText())) {
        throw new BadRequest(
            where + ".role",
            where + ".role must be one of system, user, assistant (developer is read as system)");
      }
      String r = role.asText().equals("developer") ? "system" : role.asText();
      out.add(
          new AbstractMap.SimpleImmutableEntry<>(r, content(m.get("content"), where + ".content")));
    }
    return new ChatCall(out, params(body), format(body.get("response_format")));
  }

  static CompletionCall completion(JsonNode body) throws BadRequest {
    requireObject(body);
    refuse(body, "suffix", "'suffix' (infill) is not supported");
    if (body.path("echo").asBoolean(false)) {
      throw new BadRequest("echo", "'echo' is not supported");
    }
    if (body.has("best_of") && body.get("best_of").asInt(1) > 1) {
      throw new BadRequest("best_of", "'best_of' is not supported");
    }
    JsonNode prompt = body.get("prompt");
    String text;
    if (prompt != null && prompt.isTextual()) {
      text = prompt.asText();
    } else if (prompt != null
        && prompt.isArray()
        && prompt.size() == 1
        && prompt.get(0).isTextual()) {
      text = prompt.get(0).asText();
    } else {
      throw new BadRequest(
          "prompt", "'prompt' must be a string (or an array of exactly one string)");
    }
    if (text.isEmpty()) {
      throw new BadRequest("prompt", "'prompt' must not be empty");
    }
    return new CompletionCall(text, params(body));
  }

  private static void requireObject(JsonNode body) throws BadRequest {
    if (body == null || !body.isObject()) {
      throw new BadRequest(null, "the request body must be a JSON object");
    }
    if (body.path("stream").asBoolean(false)) {
      throw new BadRequest("stream", "streaming is not supported; send \"stream\": false");
    }
    JsonNode logprobs = body.get("logprobs");
    if (logprobs != null
        && !logprobs.isNull()
        && !(logprobs.isBoolean() && !logprobs.asBoolean())) {
      throw new BadRequest("logprobs", "'logprobs' is not supported");
    }
  }

  private static void refuse(JsonNode body, String field, String message) throws BadRequest {
    JsonNode v = body.get(field);
    if (v != null && !v.isNull() && !(v.isContainerNode() && v.isEmpty())) {
      throw new BadRequest(field, message);
    }
  }

  private static String content(JsonNode c, String where) throws BadRequest {
    if (c != null && c.isTextual()) {
      return c.asText();
    }
    if (c != null && c.isArray()) {
      StringBuilder sb = new StringBuilder();
      for (JsonNode part : c) {
        if (!part.isObject()
            || !"text".equals(part.path("type").asText())
            || !part.path("text").isTextual()) {
          throw new BadRequest(
              where, where + " parts must be {\"type\": \"text\", \"text\": \"...\"}");
        }
        sb.append(part.get("text").asText());
      }
      return sb.toString();
    }
    throw new BadRequest(where, where + " must be a string");
  }

  private static Params params(JsonNode body) throws BadRequest {
    Integer n = integer(body, "n", 1, MAX_N);
    Long seed = null;
    JsonNode s = body.get("seed");
    if (s != null && !s.isNull()) {
      if (!s.isIntegralNumber() || !s.canConvertToLong()) {
        throw new BadRequest("seed", "'seed' must be an integer");
      }
      seed = s.asLong();
    }
    Float temperature = number(body, "temperature", 0, 100);
    Float topP = number(body, "top_p", 0, 1);
    Integer topK = integer(body, "top_k", 0, 1_000_000);
    Float minP = number(body, "min_p", 0, 1);
    Integer maxTokens = integer(body, "max_tokens", 1, 1 << 20);
    Integer maxCompletion = integer(body, "max_completion_tokens", 1, 1 << 20);
    if (maxTokens == null) {
      maxTokens = maxCompletion;
    }
    return new Params(
        n == null ? 1 : n, seed, temperature, topP, topK, minP, maxTokens, stop(body.get("stop")));
  }

  private static Integer integer(JsonNode body, String field, int min, int max) throws BadRequest {
    JsonNode v = body.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isIntegralNumber() || !v.canConvertToInt() || v.asInt() < min || v.asInt() > max) {
      throw new BadRequest(
          field, "'" + field + "' must be an integer in [" + min + ", " + max + "]");
    }
    return v.asInt();
  }

  private static Float number(JsonNode body, String field, double min, double max)
      throws BadRequest {
    JsonNode v = body.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    double d = v.asDouble();
    if (!v.isNumber() || !Double.isFinite(d) || d < min || d > max) {
      throw new BadRequest(field, "'" + field + "' must be a number in [" + min + ", " + max + "]");
    }
    return (float) d;
  }

  private static List<String> stop(JsonNode v) throws BadRequest {
    if (v == null || v.isNull()) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    if (v.isTextual()) {
      out.add(v.asText());
    } else if (v.isArray()) {
      for (JsonNode e : v) {
        if (!e.isTextual()) {
          throw new BadRequest("stop", "'stop' must be a string or an array of strings");
        }
        out.add(e.asText());
      }
    } else {
      throw new BadRequest("stop", "'stop' must be a string or an array of strings");
    }
    if (out.size() > MAX_STOP) {
      throw new BadRequest("stop", "at most " + MAX_STOP + " stop sequences are supported");
    }
    if (out.stream().anyMatch(String::isEmpty)) {
      throw new BadRequest("stop", "stop sequences must not be empty");
    }
    return List.copyOf(out);
  }

  private static Format format(JsonNode f) throws BadRequest {
    if (f == null || f.isNull()) {
      return new Format.Text();
    }
    if (!f.isObject() || !f.path("type").isTextual()) {
      throw new BadRequest("response_format", "'response_format' must be an object with a 'type'");
    }
    switch (f.get("type").asText()) {
      case "text":
        return new Format.Text();
      case "json_object":
        return new Format.JsonObject();
      case "json_schema":
        JsonNode schema = f.path("json_schema").get("schema");
        if (schema == null || !schema.isObject()) {
          throw new BadRequest(
              "response_format.json_schema.schema",
              "'response_format.json_schema.schema' must be a JSON object");
        }
        return new Format.JsonSchema(schema);
      default:
        throw new BadRequest(
            "response_format.type",
            "'response_format.type' must be text, json_object or json_schema");
    }
  }
}
