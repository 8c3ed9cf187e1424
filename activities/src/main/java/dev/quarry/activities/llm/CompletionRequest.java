package dev.quarry.activities.llm;

import java.util.List;
import java.util.Objects;

/**
 * A request to {@code POST /v1/completions}: a raw prompt, no chat template. Nullable fields are
 * left out of the wire request. See {@link ChatRequest} for {@code seed} and {@code n}.
 */
public record CompletionRequest(
    String model,
    String prompt,
    int n,
    Long seed,
    Double temperature,
    Double topP,
    Integer maxTokens,
    List<String> stop) {

  public CompletionRequest {
    Objects.requireNonNull(prompt, "prompt");
    stop = SamplingChecks.copyStop(stop);
    SamplingChecks.check(model, n, temperature, topP, maxTokens, stop);
  }

  public static CompletionRequest of(String model, String prompt) {
    return new CompletionRequest(model, prompt, 1, null, null, null, null, List.of());
  }

  public CompletionRequest withN(int newN) {
    return new CompletionRequest(model, prompt, newN, seed, temperature, topP, maxTokens, stop);
  }

  public CompletionRequest withSeed(Long newSeed) {
    return new CompletionRequest(model, prompt, n, newSeed, temperature, topP, maxTokens, stop);
  }

  public CompletionRequest withTemperature(Double t) {
    return new CompletionRequest(model, prompt, n, seed, t, topP, maxTokens, stop);
  }

  public CompletionRequest withTopP(Double p) {
    return new CompletionRequest(model, prompt, n, seed, temperature, p, maxTokens, stop);
  }

  public CompletionRequest withMaxTokens(Integer max) {
    return new CompletionRequest(model, prompt, n, seed, temperature, topP, max, stop);
  }

  public CompletionRequest withStop(List<String> newStop) {
    return new CompletionRequest(model, prompt, n, seed, temperature, topP, maxTokens, newStop);
  }
}
