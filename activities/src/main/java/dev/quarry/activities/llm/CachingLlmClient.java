package dev.quarry.activities.llm;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link OpenAiClient} behind an {@link LlmResponseCache}: a request already answered is served
 * from disk, so an activity retried after a crash does not pay for its generations again.
 *
 * <p>Only reproducible requests are cached: those with a {@code seed}, or with temperature 0. An
 * unseeded sampling request goes to the server every time; caching it would silently hand the same
 * "random" sample to every caller that asks the same question (K candidates of one prompt, say).
 * Callers that want caching pass seeds, which Quarry's workflows derive from their inputs. A failed
 * write to the cache is logged and the fresh response is still returned.
 *
 * <p>The key also holds what the endpoint says it serves under the requested name ({@code GET
 * /v1/models}: the listed entry's id, root and owner, or the whole listing when the name is not
 * listed, as with servers that serve one model under any name), looked up at most once per {@code
 * modelsTtl}. So when another model is served at the same URL, the old model's answers are not
 * served: the listing changed, hence the key. An endpoint that has no listing (answers 4xx to it,
 * or lists nothing) is keyed as "unlisted" (and then a model swap under the same name cannot be
 * seen). An endpoint that cannot be reached for its listing fails the call, like any other outage,
 * so the call is retried: keying it "unlisted" would file the same answer under another key and a
 * re-run after the outage would not find it (the chaos suite's LLM fault showed this).
 */
public final class CachingLlmClient implements LlmClient {
  private static final Logger log = LoggerFactory.getLogger(CachingLlmClient.class);

  static final Duration DEFAULT_MODELS_TTL = Duration.ofSeconds(30);

  private final OpenAiClient delegate;
  private final LlmResponseCache cache;
  private final Duration modelsTtl;
  private final Object modelsLock = new Object();
  private List<String> servedModels; // null: not looked up yet
  private long servedModelsAt;

  public CachingLlmClient(OpenAiClient delegate, LlmResponseCache cache) {
    this(delegate, cache, DEFAULT_MODELS_TTL);
  }

  /** {@code modelsTtl}: how long one model listing is trusted before it is asked for again. */
  public CachingLlmClient(OpenAiClient delegate, LlmResponseCache cache, Duration modelsTtl) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    this.cache = Objects.requireNonNull(cache, "cache");
    this.modelsTtl = Objects.requireNonNull(modelsTtl, "modelsTtl");
  }

  @Override
  public LlmResponse chat(ChatRequest request) throws LlmException {
    return cached(OpenAiWire.Route.CHAT, OpenAiWire.chatBody(delegate.json(), request));
  }

  @Override
  public LlmResponse complete(CompletionRequest request) throws LlmException {
    return cached(
        OpenAiWire.Route.COMPLETIONS, OpenAiWire.completionBody(delegate.json(), request));
  }

  private LlmResponse cached(OpenAiWire.Route route, ObjectNode body) throws LlmException {
    if (!OpenAiWire.deterministic(body)) {
      return delegate.send(route, body);
    }
    String served = served(body.path("model").asText(""));
    String key = cache.key(delegate.url(route).toString(), served, body);
    var hit = cache.get(key, body);
    if (hit.isPresent()) {
      log.debug("LLM cache hit {} for {}", key, delegate.url(route));
      return hit.get();
    }
    LlmResponse fresh = delegate.send(route, body);
    try {
      cache.put(key, body, fresh);
    } catch (UncheckedIOException e) {
      log.warn("LLM response not cached: {}", e.getMessage());
    }
    return fresh;
  }

  /**
   * What the endpoint lists under {@code model} now (see the class comment); an endpoint that
   * cannot be reached for its listing throws.
   */
  String served(String model) throws LlmException {
    List<String> listing;
    synchronized (modelsLock) {
      long now = System.nanoTime();
      if (servedModels == null || now - servedModelsAt > modelsTtl.toNanos()) {
        servedModels = delegate.servedModels();
        servedModelsAt = now;
      }
      listing = servedModels;
    }
    if (listing.isEmpty()) {
      return "unlisted";
    }
    for (String entry : listing) {
      if (entry.equals(model) || entry.startsWith(model + " ")) {
        return entry;
      }
    }
    return String.join(",", listing);
  }
}
