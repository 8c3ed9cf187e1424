package dev.quarry.activities.generation;

import dev.quarry.activities.llm.CachingLlmClient;
import dev.quarry.activities.llm.ChatMessage;
import dev.quarry.activities.llm.ChatRequest;
import dev.quarry.activities.llm.CompletionRequest;
import dev.quarry.activities.llm.EndpointConfig;
import dev.quarry.activities.llm.LlmException;
import dev.quarry.activities.llm.LlmRequestRejectedException;
import dev.quarry.activities.llm.LlmResponse;
import dev.quarry.activities.llm.LlmResponseCache;
import dev.quarry.activities.llm.OpenAiClient;
import dev.quarry.activities.metrics.QuarryMeters;
import dev.quarry.core.config.RoleConfig;
import dev.quarry.core.prompts.Message;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link ChatModel} over OpenAI-compatible endpoints: one client per (endpoint, key variable),
 * every response cached by the full request and seed, so a retried activity or a re-run never pays
 * twice for a finished call. The API key is read from the worker's environment by the name the role
 * gives; it never leaves this process.
 */
public final class LlmChatModel implements ChatModel {
  private final Duration timeout;
  private final LlmResponseCache cache;
  private final Map<String, CachingLlmClient> clients = new ConcurrentHashMap<>();

  public LlmChatModel(Duration timeout, Path cacheDirectory) {
    this.timeout = timeout;
    this.cache = new LlmResponseCache(cacheDirectory);
  }

  @Override
  public ChatReply chat(
      RoleConfig role, List<Message> messages, int n, long seed, String jsonSchema)
      throws ChatRejectedException, ChatUnavailableException {
    ChatRequest request =
        ChatRequest.of(
                role.model(),
                messages.stream().map(m -> new ChatMessage(m.role(), m.content())).toList())
            .withN(n)
            .withSeed(seed)
            .withTemperature(role.temperature())
            .withTopP(role.topP())
            .withMaxTokens(role.maxTokens())
            .withStop(role.stop());
    if (jsonSchema != null) {
      request = request.withJsonSchema(jsonSchema);
    }
    try {
      LlmResponse response = client(role).chat(request);
      return new ChatReply(
          response.choices(),
          response.promptTokens(),
          response.completionTokens(),
          response.finishReasons(),
          response.model());
    } catch (LlmRequestRejectedException e) {
      throw new ChatRejectedException(e.status(), e.getMessage());
    } catch (LlmException e) {
      throw new ChatUnavailableException(e.getMessage(), e);
    }
  }

  @Override
  public ChatReply complete(RoleConfig role, String prompt, List<String> stop, int n, long seed)
      throws ChatRejectedException, ChatUnavailableException {
    CompletionRequest request =
        CompletionRequest.of(role.model(), prompt)
            .withN(n)
            .withSeed(seed)
            .withTemperature(role.temperature())
            .withTopP(role.topP())
            .withMaxTokens(role.maxTokens())
            .withStop(stop);
    try {
      LlmResponse response = client(role).complete(request);
      return new ChatReply(
          response.choices(),
          response.promptTokens(),
          response.completionTokens(),
          response.finishReasons(),
          response.model());
    } catch (LlmRequestRejectedException e) {
      throw new ChatRejectedException(e.status(), e.getMessage());
    } catch (LlmException e) {
      throw new ChatUnavailableException(e.getMessage(), e);
    }
  }

  private CachingLlmClient client(RoleConfig role) throws ChatRejectedException {
    String keyVariable = role.apiKeyEnv();
    String apiKey = null;
    if (keyVariable != null) {
      apiKey = System.getenv(keyVariable);
      if (apiKey == null || apiKey.isBlank()) {
        throw new ChatRejectedException(
            401,
            "environment variable "
                + keyVariable
                + " is not set on this worker (apiKeyEnv of the role)");
      }
    }
    String base = role.endpoint();
    String finalKey = apiKey;
    return clients.computeIfAbsent(
        String.join(
            "\u0000",
            base,
            keyVariable == null ? "" : keyVariable,
            Integer.toString(role.maxConcurrency()),
            Double.toString(role.requestsPerSecond())),
        k -> {
          EndpointConfig config =
              EndpointConfig.of(base)
                  .withTimeout(timeout)
                  .withMaxConcurrency(role.maxConcurrency())
                  .withRequestsPerSecond(role.requestsPerSecond());
          if (finalKey != null) {
            config = config.withApiKey(finalKey);
          }
          // Metered inside the cache: a cache hit is not an LLM request.
          return new CachingLlmClient(
              new OpenAiClient(config)
                  .observedBy(QuarryMeters.llmObserver())
                  .loadCountedIn(QuarryMeters.endpointLoad(base)),
              cache);
        });
  }
}
