package dev.quarry.activities.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.activities.store.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A filesystem cache of LLM responses, so that a retried activity never pays for the same
 * generation twice.
 *
 * <p>The key is the SHA-256 of the endpoint URL, what the endpoint says it serves under the
 * requested model name, and the canonical JSON of the request body as sent (model, messages or
 * prompt, n, seed, every sampling parameter, schema), so any change to the request or to the served
 * model is a different entry; nothing stale is ever served for a changed request. The API key is
 * neither part of the key nor of the files. Each entry also stores its request, which is compared
 * on read: a mismatch or an unreadable file is a miss, and is overwritten by the next write.
 *
 * <p>Layout: {@code <dir>/<first two hex digits>/<sha256>.json}. Writes go to a temp file in the
 * same directory and are moved into place atomically, so readers see either nothing or a whole
 * entry, even with several workers sharing the directory.
 */
public final class LlmResponseCache {
  private static final Logger log = LoggerFactory.getLogger(LlmResponseCache.class);
  private static final String KEY_VERSION = "quarry-llm-cache/v2";
  private static final int FORMAT = 1;

  private final Path directory;
  private final ObjectMapper json = new ObjectMapper().disable(SerializationFeature.INDENT_OUTPUT);

  public LlmResponseCache(Path directory) {
    this.directory = Objects.requireNonNull(directory, "directory").toAbsolutePath().normalize();
  }

  public Path directory() {
    return directory;
  }

  /** The cache key of {@code requestBody} sent to {@code endpointUrl}: lowercase hex SHA-256. */
  public String key(String endpointUrl, JsonNode requestBody) {
    return key(endpointUrl, "", requestBody);
  }

  /**
   * The cache key of {@code requestBody} sent to {@code endpointUrl} while it serves {@code
   * servedModel} (what its model listing says; see {@link CachingLlmClient}).
   */
  public String key(String endpointUrl, String servedModel, JsonNode requestBody) {
    String material =
        KEY_VERSION
            + "\n"
            + endpointUrl
            + "\n"
            + servedModel
            + "\n"
            + OpenAiWire.canonical(json, requestBody);
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(sha.digest(material.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always available", e);
    }
  }

  /** The cached response for {@code key}, if present, readable and made for {@code requestBody}. */
  public Optional<LlmResponse> get(String key, JsonNode requestBody) {
    Path file = file(key);
    byte[] raw;
    try {
      raw = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      log.warn("cannot read LLM cache entry {}: {}", file, e.toString());
      return Optional.empty();
    }
    try {
      JsonNode entry = json.readTree(raw);
      if (entry == null
          || entry.path("format").asInt() != FORMAT
          || !key.equals(entry.path("key").asText())
          || !canonicalText(requestBody).equals(canonicalText(entry.get("request")))) {
        log.warn("LLM cache entry {} does not match its request; ignoring it", file);
        return Optional.empty();
      }
      JsonNode r = entry.get("response");
      List<String> choices = new ArrayList<>();
      r.get("choices").forEach(c -> choices.add(c.isNull() ? null : c.asText()));
      List<String> finishReasons = new ArrayList<>();
      JsonNode finish = r.path("finishReasons");
      for (int i = 0; i < choices.size(); i++) {
        JsonNode f = finish.path(i);
        finishReasons.add(f.isTextual() ? f.asText() : null);
      }
      return Optional.of(
          new LlmResponse(
              choices,
              r.path("promptTokens").asInt(),
              r.path("completionTokens").asInt(),
              r.path("model").asText(),
              finishReasons));
    } catch (IOException | RuntimeException e) {
      log.warn("corrupt LLM cache entry {}; ignoring it: {}", file, e.toString());
      return Optional.empty();
    }
  }

  /** Stores {@code response} for {@code key}, atomically replacing any previous entry. */
  public void put(String key, JsonNode requestBody, LlmResponse response) {
    ObjectNode entry = json.createObjectNode();
    entry.put("format", FORMAT);
    entry.put("key", key);
    entry.set("request", OpenAiWire.canonical(json, requestBody));
    ObjectNode r = entry.putObject("response");
    ArrayNode choices = r.putArray("choices");
    response.choices().forEach(choices::add);
    ArrayNode finishReasons = r.putArray("finishReasons");
    response.finishReasons().forEach(finishReasons::add);
    r.put("promptTokens", response.promptTokens());
    r.put("completionTokens", response.completionTokens());
    r.put("model", response.model());
    Path file = file(key);
    try {
      AtomicFiles.write(file, json.writeValueAsBytes(entry));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write LLM cache entry " + file, e);
    }
  }

  // Compared as text: a seed written as a long reads back as an int node, which equals() tells
  // apart.
  private String canonicalText(JsonNode node) throws IOException {
    return node == null ? "" : json.writeValueAsString(OpenAiWire.canonical(json, node));
  }

  Path file(String key) {
    if (!key.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException("not a cache key: " + key);
    }
    return directory.resolve(key.substring(0, 2)).resolve(key + ".json");
  }
}
