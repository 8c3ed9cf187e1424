package dev.quarry.core.artifacts;

import java.util.List;

/**
 * The exact sampling parameters of an LLM call, recorded as lineage on every dataset row.
 *
 * @param seed the seed sent with the request that returned this reply
 * @param choice the reply's index among that request's choices; null in records written before it
 *     was kept
 * @param finishReason why the endpoint stopped this reply ({@code stop}, {@code length} when it was
 *     cut at {@code maxTokens}, …); null when the endpoint gave none or the record predates it
 * @param servedModel the model the endpoint said answered ({@code model} is the one asked for);
 *     null when unknown
 */
public record SamplingRecord(
    String model,
    double temperature,
    double topP,
    int maxTokens,
    List<String> stop,
    long seed,
    Integer choice,
    String finishReason,
    String servedModel) {

  /** A call's parameters before any reply is known. */
  public SamplingRecord(
      String model, double temperature, double topP, int maxTokens, List<String> stop, long seed) {
    this(model, temperature, topP, maxTokens, stop, seed, null, null, null);
  }
}
