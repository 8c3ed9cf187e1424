package dev.quarry.activities.llm;

import java.util.List;
import java.util.Objects;

/**
 * The texts of all choices, in choice-index order, and the token usage the server reported (0 when
 * it reported none). {@code model} is the model name the server answered with.
 */
public record LlmResponse(List<String> choices, int promptTokens, int completionTokens, String model) {
  public LlmResponse {
    Objects.requireNonNull(choices, "choices");
    choices = List.copyOf(choices);
    if (choices.isEmpty()) {
      throw new IllegalArgumentException("a response has at least one choice");
    }
    if (promptTokens < 0 || completionTokens < 0) {
      throw new IllegalArgumentException("token counts must be >= 0");
    }
    Objects.requireNonNull(model, "model");
  }

  /** The first choice's text. */
  public String text() {
    return choices.get(0);
  }

  public int totalTokens() {
    return promptTokens + completionTokens;
  }
}
