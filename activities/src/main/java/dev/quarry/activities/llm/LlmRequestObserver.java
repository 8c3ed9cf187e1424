package dev.quarry.activities.llm;

import java.time.Duration;

/** Told about every real request an {@link OpenAiClient} finishes, retries included. */
@FunctionalInterface
public interface LlmRequestObserver {
  LlmRequestObserver NONE = (model, took, outcome, promptTokens, completionTokens) -> {};

  /**
   * @param outcome "ok", or the simple name of the exception the request ended with
   */
  void finished(
      String model, Duration took, String outcome, int promptTokens, int completionTokens);
}
