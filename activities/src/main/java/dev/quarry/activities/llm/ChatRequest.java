package dev.quarry.activities.llm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Objects;

/**
 * A request to {@code POST /v1/chat/completions}.
 *
 * <p>Nullable fields are left out of the wire request, so the server's default applies. {@code
 * seed} makes sampling reproducible on servers that honour it and is part of the cache key; with
 * {@code n > 1} the embedded server samples choice {@code i} with {@code seed + i}. {@code
 * jsonSchema}, when set, asks for output constrained to that JSON schema ({@code response_format}
 * {@code json_schema}, strict).
 */
public record ChatRequest(
    String model,
    List<ChatMessage> messages,
    int n,
    Long seed,
    Double temperature,
    Double topP,
    Integer maxTokens,
    List<String> stop,
    JsonNode jsonSchema) {

  private static final ObjectMapper JSON = new ObjectMapper();

  public ChatRequest {
    Objects.requireNonNull(messages, "messages");
    messages = List.copyOf(messages);
    if (messages.isEmpty()) {
      throw new IllegalArgumentException("messages must not be empty");
    }
    stop = SamplingChecks.copyStop(stop);
    SamplingChecks.check(model, n, temperature, topP, maxTokens, stop);
    if (jsonSchema != null) {
      if (!jsonSchema.isObject()) {
        throw new IllegalArgumentException("jsonSchema must be a JSON object");
      }
      jsonSchema = jsonSchema.deepCopy();
    }
  }

  /** One sample, server defaults for everything else. */
  public static ChatRequest of(String model, List<ChatMessage> messages) {
    return new ChatRequest(model, messages, 1, null, null, null, null, List.of(), null);
  }

  @Override
  public JsonNode jsonSchema() {
    return jsonSchema == null ? null : jsonSchema.deepCopy();
  }

  public ChatRequest withN(int newN) {
    return new ChatRequest(
        model, messages, newN, seed, temperature, topP, maxTokens, stop, jsonSchema);
  }

  public ChatRequest withSeed(Long newSeed) {
    return new ChatRequest(
        model, messages, n, newSeed, temperature, topP, maxTokens, stop, jsonSchema);
  }

  public ChatRequest withTemperature(Double t) {
    return new ChatRequest(model, messages, n, seed, t, topP, maxTokens, stop, jsonSchema);
  }

  public ChatRequest withTopP(Double p) {
    return new ChatRequest(model, messages, n, seed, temperature, p, maxTokens, stop, jsonSchema);
  }

  public ChatRequest withMaxTokens(Integer max) {
    return new ChatRequest(model, messages, n, seed, temperature, topP, max, stop, jsonSchema);
  }

  public ChatRequest withStop(List<String> newStop) {
    return new ChatRequest(
        model, messages, n, seed, temperature, topP, maxTokens, newStop, jsonSchema);
  }

  public ChatRequest withJsonSchema(JsonNode schema) {
    return new ChatRequest(model, messages, n, seed, temperature, topP, maxTokens, stop, schema);
  }

  /** Same as {@link #withJsonSchema(JsonNode)} for a schema given as JSON text. */
  public ChatRequest withJsonSchema(String schemaJson) {
    if (schemaJson == null) {
      return withJsonSchema((JsonNode) null);
    }
    try {
      return withJsonSchema(JSON.readTree(schemaJson));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "jsonSchema is not valid JSON: " + e.getOriginalMessage(), e);
    }
  }
}
