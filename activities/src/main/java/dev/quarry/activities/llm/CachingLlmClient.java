package dev.quarry.activities.llm;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link OpenAiClient} behind an {@link LlmResponseCache}: a request already answered is served
 * from disk, so an activity retried after a crash does not pay for its generations again.
 *
 * <p>Only reproducible requests are cached: those with a {@code seed}, or with temperature 0. An
 * unseeded sampling request goes to the server every time; caching it would silently hand the
 * same "random" sample to every caller that asks the same question (K candidates of one prompt,
 * say). Callers that want caching pass seeds, which Quarry's workflows derive from their inputs.
 * A failed write to the cache is logged and the fresh response is still returned.
 */
public final class CachingLlmClient implements LlmClient {
  private static final Logger log = LoggerFactory.getLogger(CachingLlmClient.class);

  private final OpenAiClient delegate;
  private final LlmResponseCache cache;

  public CachingLlmClient(OpenAiClient delegate, LlmResponseCache cache) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    this.cache = Objects.requireNonNull(cache, "cache");
  }

  @Override
  public LlmResponse chat(ChatRequest request) throws LlmException {
    return cached(OpenAiWire.Route.CHAT, OpenAiWire.chatBody(delegate.json(), request));
  }

  @Override
  public LlmResponse complete(CompletionRequest request) throws LlmException {
    return cached(OpenAiWire.Route.COMPLETIONS, OpenAiWire.completionBody(delegate.json(), request));
  }

  private LlmResponse cached(OpenAiWire.Route route, ObjectNode body) throws LlmException {
    if (!OpenAiWire.deterministic(body)) {
      return delegate.send(route, body);
    }
    String key = cache.key(delegate.url(route).toString(), body);
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
}
