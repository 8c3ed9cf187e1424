package dev.quarry.activities.llm;

import java.util.List;

/** Argument checks shared by {@link ChatRequest} and {@link CompletionRequest}. */
final class SamplingChecks {
  private SamplingChecks() {}

  static void check(
      String model, int n, Double temperature, Double topP, Integer maxTokens, List<String> stop) {
    if (model == null || model.isBlank()) {
      throw new IllegalArgumentException("model must not be blank");
    }
    if (n < 1) {
      throw new IllegalArgumentException("n must be >= 1, got " + n);
    }
    if (temperature != null && !(temperature >= 0 && Double.isFinite(temperature))) {
      throw new IllegalArgumentException("temperature must be finite and >= 0, got " + temperature);
    }
    if (topP != null && !(topP > 0 && topP <= 1)) {
      throw new IllegalArgumentException("topP must be in (0, 1], got " + topP);
    }
    if (maxTokens != null && maxTokens < 1) {
      throw new IllegalArgumentException("maxTokens must be >= 1, got " + maxTokens);
    }
    for (String s : stop) {
      if (s == null || s.isEmpty()) {
        throw new IllegalArgumentException("stop sequences must be non-empty strings");
      }
    }
  }

  static List<String> copyStop(List<String> stop) {
    return stop == null ? List.of() : List.copyOf(stop);
  }
}
