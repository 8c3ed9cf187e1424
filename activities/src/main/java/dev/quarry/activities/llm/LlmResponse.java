package dev.quarry.activities.llm;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * The choices the server returned, in choice-index order, and the token usage it reported (0 when
 * it reported none). {@code model} is the model name the server answered with.
 *
 * <p>A server may return fewer choices than asked for (it ignores {@code n}, or filtered some), or
 * none. A choice's text is null when the server gave no content (a refusal, a content filter);
 * {@code finishReasons} holds each choice's {@code finish_reason} ({@code stop}, {@code length},
 * {@code content_filter}, …), null where the server gave none.
 */
public record LlmResponse(
    List<String> choices,
    int promptTokens,
    int completionTokens,
    String model,
    List<String> finishReasons) {
  public LlmResponse {
    Objects.requireNonNull(choices, "choices");
    choices = Collections.unmodifiableList(new ArrayList<>(choices));
    if (finishReasons == null) {
      finishReasons = Collections.nCopies(choices.size(), (String) null);
    }
    finishReasons = Collections.unmodifiableList(new ArrayList<>(finishReasons));
    if (finishReasons.size() != choices.size()) {
      throw new IllegalArgumentException("one finish reason per choice");
    }
    if (promptTokens < 0 || completionTokens < 0) {
      throw new IllegalArgumentException("token counts must be >= 0");
    }
    Objects.requireNonNull(model, "model");
  }

  /** Choices that all stopped without a reported reason. */
  public LlmResponse(List<String> choices, int promptTokens, int completionTokens, String model) {
    this(choices, promptTokens, completionTokens, model, null);
  }

  /** The first choice's text; null when there is none or it has no content. */
  public String text() {
    return choices.isEmpty() ? null : choices.get(0);
  }

  public int totalTokens() {
    return promptTokens + completionTokens;
  }
}
