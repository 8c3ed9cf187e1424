package dev.quarry.workflows;

/** Tokens and requests spent on LLM calls; summed up per prompt, round and run. */
public record TokenUsage(long promptTokens, long completionTokens, long requests) {
  public static final TokenUsage ZERO = new TokenUsage(0, 0, 0);

  public TokenUsage plus(TokenUsage other) {
    return new TokenUsage(
        promptTokens + other.promptTokens,
        completionTokens + other.completionTokens,
        requests + other.requests);
  }

  public long totalTokens() {
    return promptTokens + completionTokens;
  }
}
