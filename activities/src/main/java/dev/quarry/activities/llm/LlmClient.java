package dev.quarry.activities.llm;

/** An OpenAI-compatible text generation endpoint. Implementations are thread-safe. */
public interface LlmClient {
  /** {@code POST /v1/chat/completions}. */
  LlmResponse chat(ChatRequest request) throws LlmException;

  /** {@code POST /v1/completions}: raw prompt, no chat template. */
  LlmResponse complete(CompletionRequest request) throws LlmException;
}
